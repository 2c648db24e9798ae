"""The demo's floor: the bare app, whose rows wait for one httpx GET to the demo's own emulator.

What any Textual + httpx client of crmtui's in-process CMDataManager sandbox pays before its
first rows (httpx, the emulator and its store, one request), measured beside the bare app and
`crmtui --demo` in the start-up row. Uses the demo's store in CRMTUI_DATA_DIR, as the demo does.
"""

from __future__ import annotations

import httpx

from bench.bare_app import BareLayout

PROFILE = "demo-cmdatamanager"


class BareDemoApp(BareLayout):
    """The bare app's layout, whose rows come once the emulator has answered."""

    async def on_mount(self) -> None:
        """One GET of the first leads through the demo's in-process transport, then the rows."""
        from crmtui.services.demo import open_demo

        demo = open_demo()
        try:
            async with httpx.AsyncClient(transport=demo.transports[PROFILE]) as client:
                await client.get(f"https://{PROFILE}.invalid/api/v1/lead")
        finally:
            demo.close()
        self.fill()


if __name__ == "__main__":
    BareDemoApp().run()
