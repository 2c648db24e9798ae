"""The opening screen is first drawn with its rows, not as five half-built frames before them.

Building the main screen, its first page and the first row's detail each asked for a frame: a
vendor answering within a blink still cost several full redraws of a screen without rows (CPU
at start-up, bytes over SSH). The screen now waits for its first rows, up to a fifth of a
second; a slower vendor gets the screen drawn in its loading state at that point.
"""

from __future__ import annotations

import time
from typing import Any

from crmtui.ui.screens.main import MainScreen
from crmtui.ui.widgets.record_list import RecordList
from tests.fakes import FakeBackend

from .conftest import AppFactory
from .helpers import screen_text, settle


def count_frames(app: Any) -> list[tuple[float, bool]]:
    """Each frame the main screen draws: when, and whether its list had its first row."""
    frames: list[tuple[float, bool]] = []
    display = app._display

    def drawn(screen: Any, update: Any) -> None:
        if update is not None and not app._batch_count and isinstance(screen, MainScreen):
            rows = screen.query_one(RecordList).record_at(0) is not None
            frames.append((time.perf_counter(), rows))
        display(screen, update)

    app._display = drawn
    return frames


async def test_a_quick_vendor_gets_one_first_frame_with_rows(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    backend.delay = 0.05
    app = app_factory()
    frames = count_frames(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "of 10,000" in screen_text(app)
    assert frames, "the main screen was never drawn"
    assert frames[0][1], f"drawn without rows first: {frames}"


async def test_a_slow_vendor_gets_the_screen_drawn_while_rows_come(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    backend.delay = 1.0
    app = app_factory()
    frames = count_frames(app)
    async with app.run_test(size=(120, 36)) as pilot:
        started = time.perf_counter()
        while not frames and time.perf_counter() - started < 0.9:
            await pilot.pause(0.02)
        assert frames and not frames[0][1], "nothing drawn while the first page was on its way"
        assert "Leads" in screen_text(app)
        await settle(pilot)
        assert "of 10,000" in screen_text(app)
