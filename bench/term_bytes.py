"""Bytes written to the terminal per cursor step, in a real pty, against the minimal redraw.

`crmtui --demo` runs in a pty at 120x36; each down-arrow's output is counted until the screen is
quiet, and the screen before and after (as pyte renders the bytes) is diffed cell by cell: the
reference is what redrawing only the changed cells would take (cursor moves, style escapes,
characters; see `terminal.minimal_redraw`).
"""

from __future__ import annotations

from pathlib import Path

from bench.core import AT_MOST, Row, judge, median, not_measured
from bench.startup import FOOTER
from bench.terminal import Pty, bench_env, have_pyte, minimal_redraw, python, snapshot

DOWN = b"\x1b[B"


def measure(data_dir: Path, records: int, steps: int) -> Row:
    """The bytes row: `steps` cursor steps, medians of written and minimal bytes per step."""
    figure = "bytes written per cursor step (pty, 120x36)"
    if not have_pyte():
        return not_measured("term_bytes", figure, "pyte not installed", "<= 3x")
    written: list[int] = []
    needed: list[int] = []
    cells: list[int] = []
    with Pty(python("-m", "crmtui", "--demo"), bench_env(data_dir)) as term:
        term.wait_for([FOOTER, f"of {records:,}"])
        term.settle(0.3)
        for _ in range(steps):
            before = snapshot(term.screen)
            term.send(DOWN)
            written.append(term.settle(0.2))
            changed, minimum = minimal_redraw(before, snapshot(term.screen))
            cells.append(changed)
            needed.append(minimum)
    wrote, least = median(written), median(needed)
    ratio = wrote / least if least else float("inf")
    return Row(
        "term_bytes",
        figure,
        f"{wrote:,.0f} B",
        f"{least:,.0f} B for {median(cells):,.0f} changed cells",
        ratio,
        "<= 3x",
        judge(ratio, AT_MOST, 3.0),
        details={"written": written, "minimal": needed, "cells": cells},
    )
