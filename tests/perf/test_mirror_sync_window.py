"""A mirror sync keeps the vendor's rate window full: with slow answers, more pages are in flight
at once than a fixed four (each request holds its place until a second after its answer)."""

from __future__ import annotations

from pathlib import Path

import httpx

from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.mirror import Mirror
from crmtui.services.mirror_sync import sync_entity
from crmtui.services.session import open_session


class Counting(httpx.AsyncBaseTransport):
    """The vendor's transport, counting the requests in flight at once."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.now = self.most = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            return response
        finally:
            self.now -= 1


async def test_a_sync_puts_as_many_pages_in_flight_as_the_window_takes(tmp_path: Path) -> None:
    store = Store(":memory:")
    app = create_app(store, records=6_000, seed=3)
    app.state.faults.latency = 0.3  # every answer takes 300 ms
    active = store.count("sharpspring", "lead")
    profile = SharpSpringProfile.model_validate(
        {"name": "ss", "vendor": "sharpspring", "base_url": "https://ss.invalid",
         "account_id": ACCOUNT_ID, "secret_key": SECRET_KEY}
    )  # fmt: skip
    transport = Counting(in_process_transport(app))
    session = await open_session(profile, transport=transport)
    mirror = Mirror(tmp_path / "mirror.sqlite3")
    try:
        await session.backend.fields("lead")  # the field metadata first: its calls overlap less
        written = await sync_entity(session.backend, mirror, "lead", full=True)
        assert written == active == mirror.count("lead")
        # 10 calls a second are allowed: after the first page, the next ones go together
        assert transport.most > 4
    finally:
        mirror.close()
        await session.aclose()
