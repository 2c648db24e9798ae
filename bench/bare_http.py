"""The floor of the fixed choices: the bare app, whose rows wait for one httpx GET on loopback.

What any Textual + httpx client pays before its first rows (importing httpx and its transport,
one request), measured beside the bare app and `crmtui -p` in the start-up row. The URL is in
BARE_URL; plain http, with a TLS context that loads no CA bundle, as crmtui's for loopback.
"""

from __future__ import annotations

import os
import ssl
from typing import ClassVar

import httpx
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header

from bench.bare_app import BareApp


class BareHttpApp(App[None]):
    """BareApp's header, table and footer; the rows once the GET has answered."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        """The three widgets."""
        yield Header()
        yield DataTable()
        yield Footer()

    async def on_mount(self) -> None:
        """One GET, then BareApp's rows."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        async with httpx.AsyncClient(verify=context) as client:
            answer = await client.get(os.environ["BARE_URL"])
        table = self.query_one(DataTable)
        table.add_columns("First Name", "Last Name", "Email", "Phone", "Status", "Owner")
        table.add_rows(
            (f"bare row {i}", "Last", f"row{i}@example.test", "+44", str(answer.status_code), "Ada")
            for i in range(BareApp.ROWS)
        )
        table.focus()


if __name__ == "__main__":
    BareHttpApp().run()
