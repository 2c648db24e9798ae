"""Keys typed while crmtui starts: held until the screen they were typed for is ready.

Over SSH a user launches `crmtui` and types at once (`/kelly` Enter, or ↓ ↓ ↓). Until the main
screen is mounted, its entity open and its first rows in, those keys would reach Textual's empty
default screen, or a list with no rows yet, and be lost. The app's key gate holds every key from
the start; `StartKeys` says when they may go (in order, through the gate, as if typed slowly),
and which keys act at once: ctrl+c and ctrl+q, and the main screen's quit key typed first, quit
without waiting for anything.

Keys typed before Textual has put the terminal in raw mode (while Python imports crmtui) went
through the terminal's line discipline, which turns Enter (CR) into a line feed: Textual reads
that as ctrl+j. While starting, a ctrl+j is taken for the Enter it was (nobody types ctrl+j on
purpose: tmux and terminals take it, and crmtui binds nothing to it). That early, ctrl+c
interrupts Python (crmtui exits with 130) and ctrl+q/ctrl+s are the terminal's flow control:
they never reach crmtui.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.worker import WorkerCancelled, WorkerError, WorkerFailed

from crmtui.ui.keymap import check_keymap

if TYPE_CHECKING:
    from crmtui.ui.app import CrmApp
    from crmtui.ui.screens.main import MainScreen

READY_WAIT = 15.0
"""Seconds the main screen may take to open its entity and show its first rows before the keys
typed meanwhile go to it anyway."""
QUIT_ALWAYS = frozenset({"ctrl+c", "ctrl+q"})
"""Keys that quit at once while the app starts (nothing is shown yet: nothing to copy or lose)."""
QUIT_ID = "app.quit"
COOKED_ENTER = "ctrl+j"
"""How Textual reads an Enter typed before the terminal was raw (the line discipline's ICRNL)."""


class StartKeys:
    """When the keys typed during start-up may go, and which act at once."""

    def __init__(self, app: CrmApp) -> None:
        self.app = app
        self._rows: asyncio.Event | None = None
        self._quit_keys: frozenset[str] | None = None

    @property
    def rows(self) -> asyncio.Event:
        """Set once the main screen's list has its first rows (or is known empty, or failed)."""
        if self._rows is None:
            self._rows = asyncio.Event()
        return self._rows

    def as_typed(self, event: events.Event) -> events.Event:
        """`event`, with the line feed an Enter became before the terminal was raw as Enter."""
        if isinstance(event, events.Key) and event.key == COOKED_ENTER and not event.is_forwarded:
            return events.Key("enter", "\r")
        return event

    def quits_now(self, event: events.Event) -> bool:
        """While starting: ctrl+c or ctrl+q, or the main screen's quit key with nothing typed
        before it (`/q` is a search; `q` alone, a user who wants out)."""
        if not isinstance(event, events.Key) or event.is_forwarded:
            return False
        if event.key in QUIT_ALWAYS:
            return True
        start = self.app.start
        if self.app.keygate.backlog or (start is not None and start.edit):
            return False  # `crmtui edit` opens on a form: a `q` is text there
        keys = self.main_quit_keys()
        return event.key in keys or (event.character is not None and event.character in keys)

    def main_quit_keys(self) -> frozenset[str]:
        """The main screen's quit keys, as the user's `[keymap]` sets them."""
        if self._quit_keys is None:
            from crmtui.ui.screens.main import MainScreen

            default = next(
                b.key for b in MainScreen.BINDINGS if isinstance(b, Binding) and b.id == QUIT_ID
            )
            keymap, _warnings = check_keymap(self.app.keymap_table, {QUIT_ID: default})
            keys = keymap.get(QUIT_ID, default)
            self._quit_keys = frozenset(k.strip() for k in keys.split(",") if k.strip())
        return self._quit_keys

    def list_moved(self) -> None:
        """The main screen's list said what it holds: its first rows may be in."""
        main = self.app.main_screen
        if main is None or main.entity is None:
            return
        records = main.records
        known = records.end is not None or records.total is not None or records.failed_pages
        if records.row_count or known:
            self.rows.set()

    async def release_when_ready(self, main: MainScreen) -> None:
        """Let the start-up keys go once `main` has opened its entity and its first rows are in
        (or either failed), `READY_WAIT` at most; dropped if `main` is gone by then."""
        try:
            async with asyncio.timeout(READY_WAIT):
                for worker in list(self.app.workers):
                    if worker.node is main and worker.group == "meta":
                        with contextlib.suppress(WorkerFailed, WorkerCancelled, WorkerError):
                            await worker.wait()
                if main.entity is not None:
                    await self.rows.wait()
        except TimeoutError:
            pass
        finally:
            self.app.keygate.open(drop=not main.is_attached)
