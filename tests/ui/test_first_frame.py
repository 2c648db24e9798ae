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
from crmtui.ui.widgets.key_footer import KeyFooter
from crmtui.ui.widgets.record_list import RecordList
from tests.fakes import FakeBackend

from .conftest import AppFactory
from .helpers import screen_text, settle

Frame = tuple[float, bool, str, str]


def watch_frames(app: Any) -> list[Frame]:
    """Each frame the main screen sends: when, whether row 1 is in, its footer keys, its status."""
    frames: list[Frame] = []
    display = app._display

    def drawn(screen: Any, update: Any) -> None:
        if update is not None and not app._batch_count and isinstance(screen, MainScreen):
            rows = screen.query_one(RecordList).record_at(0) is not None
            keys = str(screen.query_one(KeyFooter).render())
            frames.append((time.perf_counter(), rows, keys, str(screen.status.render())))
        display(screen, update)

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
    assert frames, "the main screen was never drawn"
    _, rows, keys, status = frames[0]
    assert rows, "the first frame had no rows"
    assert "of 10,000" in status, status
    assert keys == frames[-1][2] and "/ Search" in keys and "^p palette" in keys, keys


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
