"""Issue 14 finding 4: a server answering with deeply nested JSON (any vendor, any format) gets a
clear error: no RecursionError, no exit 70, no false "your edits are kept"."""

from __future__ import annotations

import httpx
import pytest

from crmtui.cli.main import main

from .conftest import HostileDemo
from .hostile import deep_json, rewrite_demo

VENDORS = ["cmdatamanager", "sharpspring", "leadsquared", "influencersoft"]


def _deep(request: httpx.Request, response: httpx.Response) -> httpx.Response:
    return httpx.Response(
        200, content=deep_json(50_000), headers={"content-type": "application/json"}
    )


def _check(code: int, err: str) -> None:
    assert code not in (0, 70), err
    assert "RecursionError" not in err and "unexpected error" not in err
    assert "kept" not in err
    assert "nested over 200 levels deep" in err


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_listing_a_deep_answer(
    hostile_demo: HostileDemo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vendor: str,
    fmt: str,
) -> None:
    rewrite_demo(monkeypatch, _deep)
    entity = "group" if vendor == "influencersoft" else "lead"
    code = main(["--demo", "-p", f"demo-{vendor}", "list", entity, "--format", fmt])
    _check(code, capsys.readouterr().err)


def test_a_create_answered_with_deep_json_is_reconciled_by_reading(
    hostile_demo: HostileDemo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def deep_create(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
        creating = request.method == "POST" and request.url.path.rstrip("/").endswith("/lead")
        return _deep(request, response) if creating else None

    seen = rewrite_demo(monkeypatch, deep_create)
    code = main(["--demo", "-p", hostile_demo.profile, "create", "lead", "FirstName=Ada",
                 "LastName=Deep", "-y"])  # fmt: skip
    err = capsys.readouterr().err
    # The answer was unusable, so the outcome was unknown: crmtui read the record back instead
    # of crashing or sending the create again.
    assert code == 0, err
    assert "created lead" in err and "RecursionError" not in err
    assert sum(1 for r in seen if r.method == "POST" and r.url.path.endswith("/lead")) == 1
