"""The local send history (the Sent view): what was sent to a vendor and what it answered."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from crmtui.model.sent import SentRecord
from crmtui.ui.text import cell, plain
from crmtui.ui.widgets.key_footer import ScreenFooter

if TYPE_CHECKING:
    from crmtui.services.session import Session

COLUMNS = ("When", "Call", "Email", "Answer", "Sent")


def answer_text(entry: SentRecord) -> Text:
    """OK in green, or the failure (with the vendor's code) in red."""
    if entry.ok:
        return Text("OK", style="green")
    code = "no answer: outcome unknown" if entry.code is None else f"code {entry.code}"
    return cell(f"{code}: {entry.text}", style="red")


class SentScreen(Screen[None]):
    """Every call sent through this profile, newest first (the vendor cannot be read back)."""

    DEFAULT_CSS = """
    SentScreen { layout: vertical; }
    SentScreen #sent-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    SentScreen #sent-empty { padding: 1 2; color: $text-muted; }
    SentScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="sent.refresh"),
        Binding("escape", "leave", "Back", id="sent.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.history = session.sent

    def compose(self) -> ComposeResult:
        """Title, the table (or why it is empty), the footer."""
        yield Label(Text(f"Sent history · {plain(self.session.profile.name)}"), id="sent-title")
        yield Static("", id="sent-empty", markup=False)
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
        yield table
        yield ScreenFooter()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self.action_refresh()

    def entries(self) -> list[SentRecord]:
        """The history's entries, newest first."""
        return self.history.entries() if self.history is not None else []

    def action_refresh(self) -> None:
        """Reload the rows from the history."""
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear()
        entries = self.entries()
        for entry in entries:
            when = dt.datetime.fromtimestamp(entry.at).strftime("%Y-%m-%d %H:%M:%S")
            details = ", ".join(f"{k}={v}" for k, v in entry.sent.items() if v != entry.email)
            table.add_row(
                Text(when),
                cell(entry.method),
                cell(entry.email or "-"),
                answer_text(entry),
                cell(details),
            )
        empty = "" if entries else "Nothing has been sent through this profile yet."
        if self.history is None:
            empty = "This profile's vendor keeps no sent history."
        self.query_one("#sent-empty", Static).update(Text(empty))
        self.query_one("#sent-empty", Static).display = bool(empty)

    def action_leave(self) -> None:
        """Back."""
        self.dismiss(None)
