"""The write policy decides once for every path; the services refuse on their own too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from crmtui.model import Change
from crmtui.profiles import locations
from crmtui.profiles.loader import get_profile
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.services import bulk, edits, outbox
from crmtui.services.demo import Demo, open_demo
from crmtui.services.session import Session, open_session
from crmtui.services.write_policy import (
    ConfirmationNeeded,
    Decision,
    WritePath,
    WriteRefused,
    decide,
    ensure_allowed,
)

CMD = "demo-cmdatamanager"


@dataclass
class Profile:
    name: str
    mode: str


@pytest.mark.parametrize("path", list(WritePath))
def test_each_mode_gives_one_decision_for_every_path(path: WritePath) -> None:
    assert decide(Profile("p", "read-only"), path).decision is Decision.REFUSE
    assert decide(Profile("p", "confirm-writes"), path).decision is Decision.ASK
    assert decide(Profile("p", "write"), path).decision is Decision.PROCEED
    assert decide(Profile("p", "writ"), path).refused  # a mode nobody knows refuses
    refused = decide(Profile("p", "read-only"), path)
    assert path.words in refused.message and "nothing was sent" in refused.message
    assert decide(Profile("p", "read-only"), path, writes=False).decision is Decision.PROCEED


def test_ensure_allowed_raises_for_refuse_and_for_an_unconfirmed_ask() -> None:
    with pytest.raises(WriteRefused, match="cannot delete records"):
        ensure_allowed(Profile("p", "read-only"), WritePath.DELETE)
    with pytest.raises(ConfirmationNeeded):
        ensure_allowed(Profile("p", "confirm-writes"), WritePath.DELETE, confirmed=False)
    assert ensure_allowed(Profile("p", "confirm-writes"), WritePath.DELETE).asks


@pytest.fixture
async def read_only() -> AsyncIterator[tuple[Demo, Session]]:
    demo = open_demo(data_dir=locations.data_dir(), reset=True, records=20)
    profile = get_profile(demo.config, CMD).model_copy(update={"mode": "read-only"})
    session = await open_session(profile, transport=demo.transports[CMD])
    yield demo, session
    await session.aclose()
    demo.close()


async def test_the_services_refuse_a_read_only_profile_whoever_calls(
    read_only: tuple[Demo, Session],
) -> None:
    demo, session = read_only
    rid, data = demo.stores[CMD].list(CMD_NS, "lead", offset=0, limit=1)[0]
    change = Change("JobTitle", data.get("JobTitle"), "Sneaky")
    with pytest.raises(WriteRefused, match="cannot save changes"):
        await edits.save_changes(session, "lead", rid, [change])
    with pytest.raises(WriteRefused, match="cannot create records"):
        await edits.create_record(session, "lead", {"LastName": "Sneaky"})
    with pytest.raises(WriteRefused, match="cannot delete records"):
        await edits.delete_record(session, "lead", rid)
    with pytest.raises(WriteRefused, match="cannot run record actions"):
        await edits.run_action(session, "lead", rid, "task", {})
    with pytest.raises(WriteRefused, match="cannot bulk-edit records"):
        await bulk.bulk_update(session, "lead", [{"id": rid, "JobTitle": "Sneaky"}])
    with pytest.raises(WriteRefused, match="cannot revert changes"):
        await outbox.revert_last(session)
    assert edits.journal_for(session).entries() == []  # nothing journaled, nothing sent
    stored = demo.stores[CMD].get(CMD_NS, "lead", rid)
    assert stored is not None and stored.get("JobTitle") != "Sneaky"


async def test_a_capture_called_directly_is_refused_in_its_own_words() -> None:
    from crmtui.backends.leadsquared.capture import CaptureRequest
    from crmtui.services.jobs import capture

    demo = open_demo(data_dir=locations.data_dir(), reset=True, records=20)
    profile = get_profile(demo.config, "demo-leadsquared").model_copy(update={"mode": "read-only"})
    session = await open_session(profile, transport=demo.transports["demo-leadsquared"])
    try:
        with pytest.raises(WriteRefused, match="cannot capture activities"):
            await capture(session, CaptureRequest("x@example.com", 12231))
        assert edits.journal_for(session).entries() == []
    finally:
        await session.aclose()
        demo.close()
