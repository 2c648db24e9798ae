"""Every write is on disk before it is sent; stale writes become conflicts; states follow faults."""
# ruff: noqa: F811  (fixtures imported from journal_sandbox are parameters here)

from __future__ import annotations

import os
import stat
from typing import Any

import httpx
import pytest

from crmtui.errors import RateLimited, ValidationFailed
from crmtui.model import Change, Query
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.sandbox.faults import Faults
from crmtui.sandbox.store import Store
from crmtui.services import edits, outbox
from crmtui.services.edits import EditConflict
from crmtui.services.journal import Journal, State, pending_summary
from crmtui.services.journal_store import journal_path
from crmtui.services.session import Session

from .journal_sandbox import Spy, app, faults, open_on, server_lead, session, store  # noqa: F401


async def first_lead(session: Session) -> Any:
    page = await session.backend.list_page("lead", Query(), 0, 1)
    return page.records[0]


async def test_an_update_is_on_disk_in_flight_before_its_request_leaves(app: Any) -> None:
    seen_on_disk: list[str] = []

    def seen(request: httpx.Request) -> None:
        if request.method == "PUT":
            pending = Journal("journal-test").pending()
            seen_on_disk.extend(f"{e.state.value}:{e.mine()}" for e in pending)

    session = await open_on(app, Spy(seen=seen))
    try:
        lead = await first_lead(session)
        old = lead.values["FirstName"]
        await edits.save_changes(session, "lead", lead.id, [Change("FirstName", old, "Ada")])
    finally:
        await session.aclose()
    assert seen_on_disk == ["in flight:{'FirstName': 'Ada'}"]
    entries = Journal("journal-test").entries()
    assert [(e.state, e.loaded(), e.mine()) for e in entries] == [
        (State.APPLIED, {"FirstName": old}, {"FirstName": "Ada"})
    ]
    mode = stat.S_IMODE(os.stat(journal_path("journal-test")).st_mode)
    assert mode == 0o600


async def test_only_changed_fields_are_sent_and_other_fields_changed_elsewhere_survive(
    app: Any, store: Store
) -> None:
    spy = Spy()
    session = await open_on(app, spy)
    try:
        lead = await first_lead(session)
        store.update(CMD_NS, "lead", lead.id, {"City": "Changed Elsewhere"})
        changes = [
            Change("FirstName", lead.values["FirstName"], "Grace"),
            Change("LastName", lead.values["LastName"], lead.values["LastName"]),
        ]
        await edits.save_changes(session, "lead", lead.id, changes)
    finally:
        await session.aclose()
    assert spy.writes() == [("PUT", {"FirstName": "Grace"})]
    data = server_lead(store, lead.id)
    assert data["FirstName"] == "Grace" and data["City"] == "Changed Elsewhere"


async def test_a_field_changed_elsewhere_is_a_conflict_and_nothing_is_overwritten(
    session: Session, store: Store
) -> None:
    lead = await first_lead(session)
    loaded = lead.values["FirstName"]
    store.update(CMD_NS, "lead", lead.id, {"FirstName": "Theirs"})
    with pytest.raises(EditConflict) as caught:
        await edits.save_changes(
            session,
            "lead",
            lead.id,
            [
                Change("FirstName", loaded, "Mine"),
                Change("Phone", lead.values.get("Phone"), "+44 20 7946 0000"),
            ],
        )
    conflict = caught.value
    assert [(c.field, c.loaded, c.theirs, c.mine) for c in conflict.conflicts] == [
        ("FirstName", loaded, "Theirs", "Mine")
    ]
    assert server_lead(store, lead.id)["FirstName"] == "Theirs"
    assert server_lead(store, lead.id).get("Phone") == lead.values.get("Phone")
    assert conflict.entry.state is State.CONFLICT
    assert "1 edit is not applied yet (1 conflict)" in (pending_summary("journal-test") or "")

    with pytest.raises(Exception, match="choose mine or theirs"):
        await outbox.resolve(session, conflict.entry.id, {})
    await outbox.resolve(session, conflict.entry.id, {"FirstName": "mine"})
    data = server_lead(store, lead.id)
    assert data["FirstName"] == "Mine" and data["Phone"] == "+44 20 7946 0000"
    assert pending_summary("journal-test") is None


async def test_keeping_theirs_sends_only_the_rest(session: Session, store: Store) -> None:
    lead = await first_lead(session)
    store.update(CMD_NS, "lead", lead.id, {"FirstName": "Theirs"})
    with pytest.raises(EditConflict) as caught:
        await edits.save_changes(
            session,
            "lead",
            lead.id,
            [
                Change("FirstName", lead.values["FirstName"], "Mine"),
                Change("JobTitle", lead.values.get("JobTitle"), "CTO"),
            ],
        )
    await outbox.resolve(session, caught.value.entry.id, {"FirstName": "theirs"})
    data = server_lead(store, lead.id)
    assert data["FirstName"] == "Theirs" and data["JobTitle"] == "CTO"


async def test_a_resolved_conflict_is_checked_again_if_theirs_changes_once_more(
    session: Session, store: Store
) -> None:
    lead = await first_lead(session)
    store.update(CMD_NS, "lead", lead.id, {"FirstName": "Theirs"})
    with pytest.raises(EditConflict) as caught:
        await edits.save_changes(
            session, "lead", lead.id, [Change("FirstName", lead.values["FirstName"], "Mine")]
        )
    store.update(CMD_NS, "lead", lead.id, {"FirstName": "Theirs again"})
    with pytest.raises(EditConflict):
        await outbox.resolve(session, caught.value.entry.id, {"FirstName": "mine"})
    assert server_lead(store, lead.id)["FirstName"] == "Theirs again"


async def test_a_lost_create_answer_is_reconciled_by_reading_not_resent(
    app: Any, store: Store
) -> None:
    spy = Spy(drop=lambda r: r.method == "POST" and r.url.path.endswith("/lead"))
    session = await open_on(app, spy)
    try:
        email = "lost.answer@example.org"
        record = await edits.create_record(
            session, "lead", {"LastName": "Lovelace", "Email": email}
        )
    finally:
        await session.aclose()
    posts = [w for w in spy.writes() if w[0] == "POST"]
    assert len(posts) == 1
    assert record.values["Email"] == email
    assert sum(1 for _, d in store.list(CMD_NS, "lead", offset=0, limit=10_000)
               if d.get("Email") == email) == 1  # fmt: skip
    (entry,) = Journal("journal-test").entries()
    assert entry.state is State.APPLIED and entry.record_id == record.id


async def test_an_unknown_create_stays_pending_and_retry_never_duplicates(
    app: Any, store: Store, faults: Faults
) -> None:
    session = await open_on(app)
    email = "dropped@example.org"
    try:
        await session.backend.fields("lead")
        faults.drop_rate = 1.0  # the create is processed, every answer lost (reads too)
        with pytest.raises(Exception, match=r"may or may not|no usable answer"):
            await edits.create_record(session, "lead", {"LastName": "Hopper", "Email": email})
        (entry,) = Journal("journal-test").pending()
        assert entry.state is State.UNKNOWN
        faults.drop_rate = 0.0
    finally:
        await session.aclose()
    restarted = await open_on(app)
    try:
        record = await outbox.retry(restarted, entry.id)
        assert outbox.pending(restarted) == []
    finally:
        await restarted.aclose()
    count = sum(1 for _, d in store.list(CMD_NS, "lead", offset=0, limit=10_000)
                if d.get("Email") == email)  # fmt: skip
    assert count == 1 and record is not None
    assert Journal("journal-test").get(entry.id).state is State.APPLIED


async def test_an_interrupted_update_is_retried_and_a_landed_one_counts_as_applied(
    session: Session, store: Store
) -> None:
    lead = await first_lead(session)
    journal = Journal("journal-test", "cmdatamanager")
    from crmtui.services.journal import Op, change_dicts

    def interrupted(new: str) -> str:
        entry = journal.new(
            Op.UPDATE,
            "lead",
            record_id=lead.id,
            changes=change_dicts([Change("FirstName", lead.values["FirstName"], new)]),
        )
        journal.save(entry, state=State.IN_FLIGHT)
        journal.save(entry, pid=2**22 + 12345)  # a process that is gone
        return entry.id

    first = interrupted("Killed")
    assert Journal("journal-test").get(first).shown_state == "interrupted"
    await outbox.retry(session, first)
    assert server_lead(store, lead.id)["FirstName"] == "Killed"
    # a second interrupted edit whose request had in fact landed: retry sends nothing
    second_base = Journal("journal-test")
    entry = second_base.new(
        Op.UPDATE,
        "lead",
        record_id=lead.id,
        changes=change_dicts([Change("FirstName", "Killed", "Landed")]),
    )
    store.update(CMD_NS, "lead", lead.id, {"FirstName": "Landed"})
    await outbox.retry(session, entry.id)
    assert Journal("journal-test").get(entry.id).state is State.APPLIED


async def test_revert_the_last_change_with_the_same_check(session: Session, store: Store) -> None:
    lead = await first_lead(session)
    before = lead.values["JobTitle"]
    await edits.save_changes(session, "lead", lead.id, [Change("JobTitle", before, "Boss")])
    _, record = await outbox.revert_last(session)
    assert record is not None
    assert record.values["JobTitle"] == before == server_lead(store, lead.id)["JobTitle"]
    # revert again: the revert itself is the last change, so we go back to "Boss"
    await edits.save_changes(session, "lead", lead.id, [Change("JobTitle", before, "Chief")])
    store.update(CMD_NS, "lead", lead.id, {"JobTitle": "Someone else"})
    with pytest.raises(EditConflict):
        await outbox.revert_last(session)
    assert server_lead(store, lead.id)["JobTitle"] == "Someone else"


async def test_rate_limited_writes_stay_queued_and_refusals_fail(
    app: Any, session: Session, faults: Faults
) -> None:
    lead = await first_lead(session)
    faults.rate_limit_exhausted = True
    with pytest.raises(RateLimited):
        await edits.save_changes(
            session, "lead", lead.id, [Change("FirstName", lead.values["FirstName"], "Later")]
        )
    faults.rate_limit_exhausted = False
    (queued,) = Journal("journal-test").pending()
    assert queued.state is State.QUEUED and "limit" in queued.error.lower()
    with pytest.raises(ValidationFailed):
        await edits.save_changes(session, "lead", lead.id, [Change("Status", "New", "Bogus")])
    assert len(Journal("journal-test").pending()) == 1  # refused by the model: nothing journaled
    later = await open_on(app)  # the quota this session saw as spent has reset
    try:
        await outbox.retry(later, queued.id)
    finally:
        await later.aclose()
    assert Journal("journal-test").pending() == []


async def test_discard_and_edit_a_pending_write(session: Session, store: Store) -> None:
    lead = await first_lead(session)
    store.update(CMD_NS, "lead", lead.id, {"FirstName": "Theirs"})
    with pytest.raises(EditConflict) as caught:
        await edits.save_changes(
            session, "lead", lead.id, [Change("FirstName", lead.values["FirstName"], "Mine")]
        )
    entry = await outbox.edit(session, caught.value.entry.id, {"JobTitle": "Edited"})
    assert entry.state is State.QUEUED and entry.mine()["JobTitle"] == "Edited"
    outbox.discard(session, entry.id)
    assert Journal("journal-test").pending() == []
    assert server_lead(store, lead.id)["FirstName"] == "Theirs"


async def test_a_delete_keeps_the_values_before(session: Session, store: Store) -> None:
    lead = await first_lead(session)
    await edits.delete_record(session, "lead", lead.id)
    assert store.get(CMD_NS, "lead", lead.id) is None
    (entry,) = Journal("journal-test").entries()
    assert entry.state is State.APPLIED
    assert entry.loaded()["LastName"] == lead.values["LastName"]
