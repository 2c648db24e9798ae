"""A full mirror sync writes every record once, several pages a transaction when they queue up."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.mirror import Mirror
from crmtui.services.mirror_sync import sync_entity
from crmtui.services.session import open_session


async def test_pages_that_queue_up_share_a_transaction(tmp_path: Path) -> None:
    store = Store(":memory:")
    app = create_app(store, records=2_600, seed=2)
    active = store.count("sharpspring", "lead")
    profile = SharpSpringProfile.model_validate(
        {"name": "ss", "vendor": "sharpspring", "base_url": "https://ss.invalid",
         "account_id": ACCOUNT_ID, "secret_key": SECRET_KEY}
    )  # fmt: skip
    session = await open_session(profile, transport=in_process_transport(app))
    mirror = Mirror(tmp_path / "mirror.sqlite3")
    writes: list[int] = []
    upsert = mirror.upsert

    def slow_upsert(entity: str, records: Any, generation: int | None = None) -> None:
        writes.append(len(records))
        time.sleep(0.3)  # a slow disk: the next pages arrive meanwhile
        upsert(entity, records, generation)

    mirror.upsert = slow_upsert  # type: ignore[method-assign]
    try:
        written = await sync_entity(session.backend, mirror, "lead", full=True)
        assert written == active == mirror.count("lead") == sum(writes)
        assert len(writes) < -(-active // 500)  # fewer transactions than pages
    finally:
        mirror.close()
        await session.aclose()
