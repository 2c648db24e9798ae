"""Bytes the record list writes to the terminal, in a real pty, with and without --low-bandwidth.

Figures (medians per cursor step and per page-down, and the total for a held key) are printed
and written to $CRMTUI_E2E_TRANSCRIPT/bytes.txt when that is set.
"""

from __future__ import annotations

import os
import statistics
from pathlib import Path

from .terminal import CRMTUI, Pty, base_env

SIZE = (120, 36)
DOWN = b"\x1b[B"
PAGE_DOWN = b"\x1b[6~"
STEPS = 5
PAGES = 3
HELD = 30  # repeats of a held down-arrow
REPEAT = 1 / 30  # seconds between repeats (a common keyboard repeat rate)
# A first full frame of the demo at 120x36 in truecolor is about 50 KB; a step or a page must
# repaint only what changed.
STEP_BUDGET = 30_000
PAGE_BUDGET = 60_000


def measure(data: Path, *flags: str) -> dict[str, float]:
    """Median bytes per cursor step and per page-down, a held key's total, idle bytes/second."""
    env = base_env(data, TERM="xterm-256color", COLORTERM="truecolor")
    term = Pty([*CRMTUI, "--demo", *flags], env, SIZE)
    try:
        term.wait_for(b"of 10,000")
        # The start-up frames and the demo's local copy filling in the background (its progress is
        # on the status bar), however slow the machine is today: idle means after both.
        term.settle(2.5, limit=60.0)
        idle = term.drain(1.0)
        steps = []
        for _ in range(STEPS):
            term.send(DOWN)
            steps.append(term.settle(0.2, limit=2.0))
        pages = []
        for _ in range(PAGES):
            term.send(PAGE_DOWN)
            pages.append(term.settle(0.25, limit=2.0))
        held = 0
        for _ in range(HELD):  # a held key: the terminal repeats it 30 times a second
            term.send(DOWN)
            held += term.drain(REPEAT)
        held += term.settle(0.25, limit=2.0)
    finally:
        term.close()
    return {
        "step": statistics.median(steps),
        "page": statistics.median(pages),
        "held": held,
        "idle": idle,
    }


def test_bytes_per_step_and_page_with_and_without_low_bandwidth(demo_dir: Path) -> None:
    normal = measure(demo_dir)
    low = measure(demo_dir, "--low-bandwidth")
    report = "\n".join(
        [
            f"bytes written to a {SIZE[0]}x{SIZE[1]} pty   normal   --low-bandwidth",
            f"per cursor step (median of 5)   {normal['step']:>8,.0f}   {low['step']:>15,.0f}",
            f"per page-down (median of 3)     {normal['page']:>8,.0f}   {low['page']:>15,.0f}",
            f"{HELD} held down-arrows (total)     {normal['held']:>8,.0f}   {low['held']:>15,.0f}",
            f"idle, per second                {normal['idle']:>8,.0f}   {low['idle']:>15,.0f}",
        ]
    )
    print(report)
    target = os.environ.get("CRMTUI_E2E_TRANSCRIPT")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        (Path(target) / "bytes.txt").write_text(report + "\n")
    for figures in (normal, low):
        assert 0 < figures["step"] < STEP_BUDGET  # the two rows and the detail, not the screen
        assert 0 < figures["page"] < PAGE_BUDGET  # a screenful of rows and the detail
    assert low["held"] < normal["held"]  # fewer frames for the same keys
    assert normal["idle"] == low["idle"] == 0  # an idle screen sends nothing over the link
