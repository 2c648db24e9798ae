"""The opening screen's first frame is whole: rows, their count and the footer's keys.

Building the main screen, its first page, the footer's keys and the first row's detail each
asked for a frame: a vendor answering within a blink still cost four or five redraws of a
half-built screen (CPU at start-up, bytes over SSH), and the keys came a frame after the rows.
The screen now waits for its first rows, up to a fifth of a second; a slower vendor gets the
screen drawn in its loading state then.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from crmtui.ui.screens.main import MainScreen
from crmtui.ui.widgets.record_list import RecordList
from tests.fakes import FakeBackend

from .conftest import AppFactory
from .helpers import screen_text, settle

Frame = tuple[float, bool, str]


def watch_frames(app: Any) -> list[Frame]:
    """Each frame the main screen paints: when, whether its first row is in, and the text painted
    (what the terminal is sent, not what the widgets hold: a widget not laid out yet is blank)."""
    frames: list[Frame] = []
    display = app._display

    def drawn(screen: Any, update: Any) -> None:
        display(screen, update)
        if update is not None and isinstance(screen, MainScreen):
            first = screen.query_one(RecordList).record_at(0)
            painted = "\n".join(strip.text for strip in screen._compositor.render_strips())
            frames.append((time.perf_counter(), first is not None, painted))

    app._display = drawn
    return frames


async def test_a_quick_vendor_gets_a_whole_first_frame(
    app_factory: AppFactory, backend: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a vendor answering within the wait (made long: a busy test machine is slow to build)
    monkeypatch.setattr(MainScreen, "FIRST_FRAME_WAIT", 5.0)
    backend.delay = 0.05
    app = app_factory()
    frames = watch_frames(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "of 10,000" in screen_text(app)
        first_row = screen_text(app).splitlines()[2]  # the header, the column titles, row 1
        footer = screen_text(app).splitlines()[-1]
    assert frames, "the main screen was never painted"
    _, rows, painted = frames[0]
    lines = painted.splitlines()
    assert rows and lines[2] == first_row, "the first frame had no rows:\n" + painted
    assert "row 1 of 10,000" in lines[-2], "the first frame had no count:\n" + painted
    assert lines[-1] == footer and "/ Search" in footer and "^p palette" in footer, painted
    assert "No record selected" not in painted, "the first frame had no detail:\n" + painted


async def test_a_slow_vendor_gets_the_screen_drawn_while_rows_come(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    backend.delay = 1.0
    app = app_factory()
    frames = watch_frames(app)
    async with app.run_test(size=(120, 36)) as pilot:
        started = time.perf_counter()
        while not frames and time.perf_counter() - started < 0.9:
            await pilot.pause(0.02)
        assert frames and not frames[0][1], "nothing drawn while the first page was on its way"
        assert "Leads" in screen_text(app)
        await settle(pilot)
        assert "of 10,000" in screen_text(app)
