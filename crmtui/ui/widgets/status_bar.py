"""The status bar: requests made, last latency, rate budget, work in progress, latest error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from crmtui.errors import describe
from crmtui.ui.text import plain

if TYPE_CHECKING:
    from crmtui.services.session import Session


class StatusBar(Static):
    """One line, refreshed from the session's request log on a timer and on demand."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.session: Session | None = None
        self.list_label = ""
        self.work = ""
        self.error = ""
        self._shown: Text | None = None

    def on_mount(self) -> None:
        """Poll the session's counters twice a second (cheap: a few attribute reads)."""
        self.set_interval(0.5, self.refresh_stats)

    def attach(self, session: Session | None) -> None:
        """Show a new session's figures at once."""
        self.session = session
        self.refresh_stats()

    def set_list(self, label: str, loading: int) -> None:
        """What the list holds and how many pages are on their way."""
        self.list_label = label
        self.work = f"loading {loading} page{'s' if loading != 1 else ''}…" if loading else ""
        self.refresh_stats()

    def set_work(self, work: str) -> None:
        """Background work in progress ("" when none)."""
        self.work = work
        self.refresh_stats()

    def set_error(self, error: BaseException | str | None) -> None:
        """Show the latest error (None clears it)."""
        if error is None:
            self.error = ""
        elif isinstance(error, str):
            self.error = error
        else:
            info = describe(error)
            self.error = f"{info.title}: {info.message}"
        self.refresh_stats()

    def stats(self) -> list[str]:
        """The session's figures: requests, last latency, the budget label."""
        if self.session is None:
            return []
        log = self.session.log
        parts = [f"requests {log.count:,}"]
        last = log.last
        if last is not None:
            parts.append(f"last {last.duration * 1000:,.0f} ms")
        parts.append(self.session.budget().label())
        return parts

    def refresh_stats(self) -> None:
        """Redraw from the current figures."""
        parts = [p for p in (self.list_label, *self.stats(), self.work) if p]
        line = Text(" · ".join(plain(p) for p in parts))
        if self.error:
            line.append("  ⚠ " + plain(self.error), style="bold red")
        if line == self._shown:
            return  # an unchanged line costs nothing: idle screens send no bytes over SSH
        self._shown = line
        # One line of fixed height whatever it says: no layout pass. A layout pass would also
        # repaint every scrollbar on the screen (a list's virtual size is its own), which is
        # most of what a cursor step would otherwise send over SSH.
        self.update(line, layout=False)
