"""A large page of SharpSpring records is decoded and typed off the event loop: meanwhile the
loop sees the next answers come in (their window slots free on time) and lets waiting calls go."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from crmtui.backends.sharpspring.backend import SharpSpringBackend
from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.model import FieldSpec, Query, Record
from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import open_session


def _profile() -> SharpSpringProfile:
    return SharpSpringProfile.model_validate(
        {"name": "ss", "vendor": "sharpspring", "base_url": "https://ss.invalid",
         "account_id": ACCOUNT_ID, "secret_key": SECRET_KEY}
    )  # fmt: skip


async def test_the_loop_runs_while_a_large_page_is_typed() -> None:
    store = Store(":memory:")
    app = create_app(store, records=600, seed=3)
    session = await open_session(_profile(), transport=in_process_transport(app))
    backend = session.backend
    assert isinstance(backend, SharpSpringBackend)
    typing, loop_ran = threading.Event(), threading.Event()
    records_of = backend.records_of

    def slow_records_of(
        entity: str, items: Sequence[Mapping[str, Any]], fields: Sequence[FieldSpec]
    ) -> list[Record]:
        if len(items) >= 100:  # the large page: it waits until the loop has run meanwhile
            typing.set()
            assert loop_ran.wait(5), "the event loop stood still while the page was typed"
        return records_of(entity, items, fields)

    async def meanwhile() -> None:
        while not typing.is_set():
            await asyncio.sleep(0.005)
        loop_ran.set()

    backend.records_of = slow_records_of  # type: ignore[method-assign]
    try:
        await backend.fields("lead")
        other = asyncio.ensure_future(meanwhile())
        page = await backend.list_page("lead", Query(), 0, 500)
        await other
        assert len(page.records) == 500
        small = await backend.list_page("lead", Query(), 0, 5)  # a small page: typed at once
        assert [r.id for r in small.records] == [r.id for r in page.records[:5]]
        assert small.records[0].values == page.records[0].values
    finally:
        await session.aclose()
        store.close()
