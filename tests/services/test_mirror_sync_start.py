"""The first mirror sync starts copying at once: its first page travels with the field metadata
(in the same rate window) instead of after it, and a copy into an empty mirror skips the sweep
for rows of an older sync (there are none), while a later full copy still drops what the vendor
no longer lists."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.mirror import Mirror
from crmtui.services.mirror_sync import sync_entity
from crmtui.services.session import Session, open_session


class Recording(httpx.AsyncBaseTransport):
    """The vendor's transport, noting each call's method when it is sent and when answered."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.events: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        method = str(json.loads(request.content)["method"])
        self.events.append(("sent", method))
        response = await self.inner.handle_async_request(request)
        self.events.append(("answered", method))
        return response


async def _session(store: Store, transport: httpx.AsyncBaseTransport) -> Session:
    profile = SharpSpringProfile.model_validate(
        {"name": "ss", "vendor": "sharpspring", "base_url": "https://ss.invalid",
         "account_id": ACCOUNT_ID, "secret_key": SECRET_KEY}
    )  # fmt: skip
    return await open_session(profile, transport=transport)


async def test_the_first_page_is_asked_for_with_the_field_metadata(tmp_path: Path) -> None:
    store = Store(":memory:")
    app = create_app(store, records=1_200, seed=4)
    app.state.faults.latency = 0.05  # answers take a while: a call sent later is seen later
    transport = Recording(in_process_transport(app))
    session = await _session(store, transport)
    mirror = Mirror(tmp_path / "mirror.sqlite3")
    try:
        written = await sync_entity(session.backend, mirror, "lead", full=True)
        assert written == store.count("sharpspring", "lead") == mirror.count("lead")
        events = transport.events
        first_page = events.index(("sent", "getLeads"))
        fields_answered = events.index(("answered", "getFields"))
        assert first_page < fields_answered, events[: first_page + 1]
        # the copy is typed by the fields the vendor gave: a later search reads them back
        assert mirror.layout("lead") is not None
        assert mirror.page("lead", 0, 1)[0].values.get("createTimestamp") is not None
    finally:
        mirror.close()
        await session.aclose()


async def test_a_first_copy_skips_the_sweep_and_a_later_one_still_sweeps(tmp_path: Path) -> None:
    store = Store(":memory:")
    app = create_app(store, records=1_200, seed=5)
    session = await _session(store, in_process_transport(app))
    mirror = Mirror(tmp_path / "mirror.sqlite3")
    statements: list[str] = []
    mirror.db.set_trace_callback(statements.append)
    try:
        await sync_entity(session.backend, mirror, "lead", full=True)
        assert not [s for s in statements if s.startswith("DELETE")], "a sweep of an empty copy"
        gone = mirror.page("lead", 0, 1)[0].id
        assert store.delete("sharpspring", "lead", gone)
        statements.clear()
        await sync_entity(session.backend, mirror, "lead", full=True)
        assert [s for s in statements if s.startswith("DELETE")]
        assert mirror.get("lead", gone) is None
        assert mirror.count("lead") == store.count("sharpspring", "lead")
    finally:
        mirror.close()
        await session.aclose()
