"""The demo's floor: the bare app, whose rows wait for one httpx GET to the demo's own emulator.

What any Textual + httpx client of crmtui's in-process CMDataManager sandbox pays before its
first rows (httpx, the emulator and its store, one request), measured beside the bare app and
`crmtui --demo` in the start-up row. Uses the demo's store in CRMTUI_DATA_DIR, as the demo does.
"""

from __future__ import annotations

from typing import ClassVar

import httpx
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header

from bench.bare_app import BareApp

PROFILE = "demo-cmdatamanager"


class BareDemoApp(App[None]):
    """BareApp's header, table and footer; the rows once the emulator has answered."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        """The three widgets."""
        yield Header()
        yield DataTable()
        yield Footer()

    async def on_mount(self) -> None:
        """One GET of the first leads through the demo's in-process transport, then the rows."""
        from crmtui.services.demo import open_demo

        demo = open_demo()
        try:
            async with httpx.AsyncClient(transport=demo.transports[PROFILE]) as client:
                answer = await client.get(f"https://{PROFILE}.invalid/api/v1/lead")
        finally:
            demo.close()
        table = self.query_one(DataTable)
        table.add_columns("First Name", "Last Name", "Email", "Phone", "Status", "Owner")
        table.add_rows(
            (f"bare row {i}", "Last", f"row{i}@example.test", "+44", str(answer.status_code), "Ada")
            for i in range(BareApp.ROWS)
        )
        table.focus()


if __name__ == "__main__":
    BareDemoApp().run()
