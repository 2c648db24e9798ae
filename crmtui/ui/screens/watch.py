"""The Watch screen: records of one entity as they are created or updated, newest first, live.

Events (email opens, page visits, form fills) are records too: their "About" column names the
lead and the kind. Filters narrow the watch (leads by email address, events by kind).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from crmtui.errors import describe
from crmtui.model import EntitySpec, Filter
from crmtui.services.session import Session
from crmtui.services.watch import DEFAULT_INTERVAL, Change, Watcher, summary
from crmtui.ui.text import cell, plain, plural
from crmtui.ui.widgets.empty_state import EmptyState, heading
from crmtui.ui.widgets.key_footer import ScreenFooter


class WatchChanges(Message):
    """A poll found new or changed records."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__()
        self.changes = changes


class WatchWaiting(Message):
    """The vendor asked us to wait before the next poll."""

    def __init__(self, seconds: float, reason: str) -> None:
        super().__init__()
        self.seconds = seconds
        self.reason = reason


class WatchScreen(Screen[None]):
    """Polls `entity` within the rate budget; each row is one change, the newest on top."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="watch.back"),
        Binding("c", "clear", "Clear", id="watch.clear"),
    ]
    DEFAULT_CSS = """
    WatchScreen #watch-status { height: 1; padding: 0 1; background: $panel; }
    WatchScreen DataTable { height: 1fr; }
    """

    def __init__(
        self,
        session: Session,
        entity: EntitySpec,
        *,
        interval: float = DEFAULT_INTERVAL,
        filters: Sequence[Filter] = (),
    ) -> None:
        super().__init__()
        self.session = session
        self.entity = entity
        self.interval = interval
        self.watcher = Watcher(session.backend, entity.name, filters=filters)
        self.seen = 0

    def compose(self) -> ComposeResult:
        """A status line, the table of changes, the footer."""
        yield Static(self._status("starting"), id="watch-status", markup=False)
        table: DataTable[Any] = DataTable(id="watch-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield EmptyState(id="watch-empty")
        yield ScreenFooter()

    def on_mount(self) -> None:
        """Columns, then the polling worker."""
        table = self.query_one(DataTable)
        table.add_columns("When", "Change", "Id", "Name", "About")
        self._say_empty(None)
        self.poll_loop()

    def _say_empty(self, stopped: str | None) -> None:
        """While nothing has changed (or the watch stopped) the pane says so, not a blank table."""
        table = self.query_one(DataTable)
        label = plain(self.entity.label)
        if stopped is not None:
            text = heading("The watch stopped.")
            text.append(f"\n{stopped}\n\nEsc goes back; w there starts it again.")
        elif table.row_count == 0:
            since = dt.datetime.now().strftime("%H:%M")
            text = heading(f"No {label} created or changed since {since}.")
            text.append(
                f"\nNew and changed {label} appear here as the vendor reports them, newest on "
                f"top (checked every {self.interval:g} s).\n\nc clears the list · Esc goes back"
            )
        else:
            text = None
        table.display = text is None
        self.query_one(EmptyState).say(text)

    def _status(self, state: str) -> str:
        label = self.entity.label
        only = ", ".join(f"{f.field}={f.value}" for f in self.watcher.filters)
        label += f" ({only})" if only else ""
        seen = plural(self.seen, "change")
        return f"Watching {label} on {self.session.profile.name} · {state} · {seen}"

    @work(group="watch", exclusive=True, exit_on_error=False, description="watch poll")
    async def poll_loop(self) -> None:
        """Poll forever (until the screen closes); results come back as messages."""
        await self.watcher.check()
        self.query_one("#watch-status", Static).update(
            self._status(f"polling every {self.interval:g} s")
        )

        def changed(changes: list[Change]) -> None:
            self.post_message(WatchChanges(changes))

        def waiting(seconds: float, reason: str) -> None:
            self.post_message(WatchWaiting(seconds, reason))

        await self.watcher.run(changed, interval=self.interval, on_wait=waiting)

    @on(WatchChanges)
    def show_changes(self, message: WatchChanges) -> None:
        """Add each change at the top."""
        table = self.query_one(DataTable)
        for change in reversed(message.changes):
            row = (
                cell(change.at),
                cell(change.kind),
                cell(change.record.id),
                cell(change.record.title(self.entity)),
                cell(summary(change.record, self.entity)),
            )
            table.add_row(*row, key=f"{change.record.id}:{self.seen}")
            table.move_cursor(row=0)
            self.seen += 1
        self._sort_newest_first(table)
        self._say_empty(None)
        self.query_one("#watch-status", Static).update(
            self._status(f"polling every {self.interval:g} s")
        )

    def _sort_newest_first(self, table: DataTable[Any]) -> None:
        columns = list(table.columns)
        table.sort(columns[0], key=lambda when: when.plain, reverse=True)

    @on(WatchWaiting)
    def show_wait(self, message: WatchWaiting) -> None:
        """Say that the vendor's rate limit pauses the watch."""
        state = f"rate limited, waiting {message.seconds:,.0f} s: {plain(message.reason)}"
        self.query_one("#watch-status", Static).update(self._status(state))

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """A failed poll loop is shown on the status line, not as a crash."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            info = describe(event.worker.error)
            text = plain(f"{info.title}: {self.session.redactor.text(info.message)}")
            self.query_one("#watch-status", Static).update(self._status(f"stopped — {text}"))
            self._say_empty(text)

    def action_clear(self) -> None:
        """Empty the table (the watch goes on)."""
        self.query_one(DataTable).clear()
        self._say_empty(None)
