"""Issue 14 finding 13: control characters in values crmtui would send (a bulk CSV cell holding an
OSC sequence, an update, a create) are refused, naming the field, before reaching the vendor."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from crmtui.cli.main import main

from .conftest import HostileDemo
from .hostile import rewrite_demo

OSC = "Evil\x1b]52;c;ZXZpbA==\x07Corp"


def _writes(seen: list[httpx.Request]) -> list[httpx.Request]:
    writes = ("POST", "PUT", "PATCH", "DELETE")
    return [r for r in seen if r.method in writes and "authenticate" not in r.url.path]


def _keep(request: httpx.Request, response: httpx.Response) -> None:
    return None


def test_bulk_cell_with_an_osc_sequence_is_refused(
    hostile_demo: HostileDemo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seen = rewrite_demo(monkeypatch, _keep)
    source = tmp_path / "rows.csv"
    source.write_text(f"id,Company\n{hostile_demo.lead_id},{OSC}\n", encoding="utf-8")
    code = main(["--demo", "-p", hostile_demo.profile, "bulk", "update", "lead", str(source), "-y"])
    capsys.readouterr()
    assert code == 1
    assert _writes(seen) == []
    reason = (tmp_path / "rows.errors.csv").read_text(encoding="utf-8")
    assert "Company: holds a control character (U+001B at position 5)" in reason
    assert "\x1b" not in reason


@pytest.mark.parametrize("command", ["update", "create"])
def test_update_and_create_refuse_control_characters(
    hostile_demo: HostileDemo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    seen = rewrite_demo(monkeypatch, _keep)
    target = [hostile_demo.lead_id] if command == "update" else []
    code = main(["--demo", "-p", hostile_demo.profile, command, "lead", *target,
                 "LastName=Plain", "City=Bad\x9b31mTown", "-y"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2, err
    assert "City: holds a control character (U+009B at position 4)" in err
    assert _writes(seen) == []


def test_newlines_and_tabs_are_still_fine(
    hostile_demo: HostileDemo, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--demo", "-p", hostile_demo.profile, "update", "lead", hostile_demo.lead_id,
                 "City=Line one\nLine\ttwo", "-y"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
