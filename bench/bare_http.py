"""The floor of the fixed choices: the bare app, whose rows wait for one httpx GET on loopback.

What any Textual + httpx client pays before its first rows (importing httpx and its transport,
one request), measured beside the bare app and `crmtui -p` in the start-up row. The URL is in
BARE_URL; plain http, with a TLS context that loads no CA bundle, as crmtui's for loopback.
"""

from __future__ import annotations

import os
import ssl

import httpx

from bench.bare_app import BareLayout


class BareHttpApp(BareLayout):
    """The bare app's layout, whose rows come once the GET has answered."""

    async def on_mount(self) -> None:
        """One GET, then the rows."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        async with httpx.AsyncClient(verify=context) as client:
            await client.get(os.environ["BARE_URL"])
        self.fill()


if __name__ == "__main__":
    BareHttpApp().run()
