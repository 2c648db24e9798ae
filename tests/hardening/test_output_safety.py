"""Issue 14 findings 1, 3, 10: every output format of vendor text is inert, JSON stays exact."""

from __future__ import annotations

import csv
import io
import json

import pytest

from crmtui.cli.main import main
from crmtui.model.sanitize import TerminalGuard, csv_cell, dumps, json_inert

from .conftest import HOSTILE, HostileDemo, raw_unsafe

FIELDS = "FirstName,LastName,City,Company,JobTitle,Street"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl"])
def test_list_output_carries_no_raw_escape(
    hostile_demo: HostileDemo, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, err = run(
        capsys, "--demo", "-p", hostile_demo.profile, "list", "lead", "--limit", "3",
        "--fields", FIELDS, "--format", fmt,
    )  # fmt: skip
    assert code == 0, err
    assert raw_unsafe(out) == [] and raw_unsafe(err) == []
    assert "title" in out  # the hostile record was in the output


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_output_escapes_c1_and_bidi_and_keeps_the_data(
    hostile_demo: HostileDemo, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, _ = run(
        capsys, "--demo", "-p", hostile_demo.profile, "list", "lead", "--limit", "3",
        "--fields", FIELDS, "--format", fmt,
    )  # fmt: skip
    assert code == 0
    assert "\\u009b" in out and "\\u202e" in out and "\\u0085" in out
    rows = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
    first = next(r for r in rows if r["id"] == hostile_demo.lead_id)
    assert {k: first[k] for k in HOSTILE} == HOSTILE  # escaped, not altered


def test_get_json_escapes_and_round_trips(
    hostile_demo: HostileDemo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "--demo", "-p", hostile_demo.profile, "get", "lead", hostile_demo.lead_id,
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert raw_unsafe(out) == []
    assert json.loads(out)["Company"] == HOSTILE["Company"]


def test_csv_cells_are_inert_and_formulas_behind_tab_or_cr_are_defused(
    hostile_demo: HostileDemo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "--demo", "-p", hostile_demo.profile, "list", "lead", "--limit", "3",
        "--fields", FIELDS, "--format", "csv",
    )  # fmt: skip
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    first = next(r for r in rows if r["id"] == hostile_demo.lead_id)
    assert first["FirstName"] == "A␛]0;title␇B"
    assert first["JobTitle"].startswith("'")
    assert first["Street"].startswith("'")


def test_csv_cell_guard_cases() -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("  @SUM(A1)") == "'  @SUM(A1)"
    assert csv_cell("\tx") == "' x"
    assert csv_cell("\r=x") == "'␍=x"
    assert csv_cell("-5") == "-5"
    assert csv_cell("a\nb") == "a\nb"  # CSV quotes newlines: they are data


def test_json_inert_is_lossless() -> None:
    value = {"k\x9b": ["\x1b[2J", "\u202e", "\x85", "\u2028", "ok"]}
    text = dumps(value)
    assert raw_unsafe(text) == [] and "\u2028" not in text
    assert json.loads(text) == value
    assert json_inert('"\x7f"') == '"\\u007f"'


def test_terminal_guard_passes_newlines_and_defuses_the_rest() -> None:
    out = io.StringIO()
    guard = TerminalGuard(out)
    guard.write("a\tb\r\nc\x1b]0;x\x07\x9b\u202e\n")
    assert out.getvalue() == "a\tb\r\nc␛]0;x␇<U+009B><U+202E>\n"
