"""The benchmark suite runs end to end at small sizes, so it cannot rot (targets not checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Rows that may honestly be missing on a machine without the optional piece they need.
MAY_BE_MISSING = {"list_sharpspring": "no SharpSpring", "term_bytes": "pyte not installed"}


@pytest.mark.slow
def test_quick_run_measures_every_figure_and_saves_json(tmp_path: Path) -> None:
    from bench.__main__ import FIGURES

    out = tmp_path / "run.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "figure" in done.stdout and "result" in done.stdout
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["date"]
    assert {"cpu_count", "cpu_model", "python", "textual"} <= set(saved["machine"])
    rows = {row["key"]: row for row in saved["rows"]}
    # every figure gives its row(s), in the table's order (a figure's rows share its name)
    firsts = [next(i for i, key in enumerate(rows) if key.startswith(f)) for f in FIGURES]
    assert firsts == sorted(firsts), list(rows)
    for key, row in rows.items():
        printed = row["value"]
        assert row["figure"] in done.stdout
        if printed.startswith("n/a"):
            missing = [k for k in MAY_BE_MISSING if key.startswith(k)]
            assert missing and MAY_BE_MISSING[missing[0]] in printed, (key, printed)
            continue
        if row["target"]:
            assert row["ratio"] is not None and row["ratio"] >= 0, (key, row)
            assert row["passed"] in (True, False)
            assert ("pass" if row["passed"] else "FAIL") in done.stdout


def test_compare_reports_the_change_and_a_flipped_verdict() -> None:
    from bench.core import Row, compare

    now = [Row("startup", "start-up", "2.00 s", "1.00 s", 2.0, "<= 1.5x", False)]
    before = {
        "date": "2026-01-01T00:00:00",
        "machine": {"cpu_count": 2},
        "rows": [{"key": "startup", "value": "1.20 s", "ratio": 1.2, "passed": True}],
    }
    text = compare(now, before)
    assert "1.20 -> 2.00 (+67%)" in text
    assert "now FAILS" in text
    assert "2026-01-01" in text


def test_minimal_redraw_counts_only_changed_cells() -> None:
    pyte = pytest.importorskip("pyte")
    from bench.terminal import minimal_redraw, snapshot

    screen = pyte.Screen(20, 3)
    stream = pyte.Stream(screen)
    stream.feed("hello world")
    before = snapshot(screen)
    stream.feed("\x1b[1;7Hthere")
    changed, size = minimal_redraw(before, snapshot(screen))
    assert changed == 5
    assert len("there") < size <= len("\x1b[1;7H\x1b[0;39;49mthere")
    assert minimal_redraw(before, before) == (0, 0)
