"""Helpers for Pilot tests: wait for workers and messages to settle."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from crmtui.ui.app import CrmApp
from crmtui.ui.screens.main import MainScreen
from crmtui.ui.widgets.record_list import RecordList


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let workers finish and their messages be handled (a few rounds: loads chain)."""
    for _ in range(rounds):
        for _attempt in range(10):
            try:
                await pilot.app.workers.wait_for_complete()
                break
            except WorkerCancelled:  # replaced by a newer one (an exclusive group): the rest
                continue
        await pilot.pause()


def main_screen(app: CrmApp) -> MainScreen:
    """The main screen (fails the test when it is not there)."""
    screen = app.main_screen
    assert screen is not None, f"no main screen; stack: {app.screen_stack}"
    return screen


def record_list(app: CrmApp) -> RecordList:
    """The record list of the main screen."""
    return main_screen(app).query_one(RecordList)


def screen_text(app: CrmApp) -> str:
    """What the terminal shows now, as plain text (for asserting what a user would see)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


def notified(app: CrmApp) -> str:
    """Every notification raised so far, one per line (toasts are not always on screen yet)."""
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 30) -> None:
    """Poll `condition` while the app runs (the mirror's sync keeps a worker alive)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)
