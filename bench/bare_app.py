"""The start-up reference: a bare Textual app with a header, a table and a footer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header

READY = "bare row 0"


class BareLayout(App[None]):
    """Header, a DataTable, footer; `fill` puts a screenful of rows in the table. No handler of
    its own: Textual runs every class's `on_mount`, so each app below has exactly one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]
    ROWS = 40  # a screenful, as crmtui shows a page of leads

    def compose(self) -> ComposeResult:
        """The three widgets."""
        yield Header()
        yield DataTable()
        yield Footer()

    def fill(self) -> None:
        """A screenful of rows, as crmtui shows a page of leads."""
        table = self.query_one(DataTable)
        table.add_columns("First Name", "Last Name", "Email", "Phone", "Status", "Owner")
        table.add_rows(
            (f"bare row {i}", "Last", f"row{i}@example.test", "+44 113 000 0000", "New", "Ada")
            for i in range(self.ROWS)
        )
        table.focus()


class BareApp(BareLayout):
    """Header, a DataTable of a screenful of rows, footer; nothing else."""

    def on_mount(self) -> None:
        """The rows at once."""
        self.fill()


if __name__ == "__main__":
    BareApp().run()
