"""A delete is checked for changes made elsewhere; creates and deletes can be reverted."""
# ruff: noqa: F811  (fixtures imported from journal_sandbox are parameters here)

from __future__ import annotations

from typing import Any

import pytest

from crmtui.model import Query
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.sandbox.store import Store
from crmtui.services import edits, outbox
from crmtui.services.edits import EditConflict
from crmtui.services.journal import Journal, Op, State
from crmtui.services.session import Session

from .journal_sandbox import app, faults, server_lead, session, store  # noqa: F401


async def first_lead(session: Session) -> Any:
    page = await session.backend.list_page("lead", Query(), 0, 1)
    return page.records[0]


async def test_a_delete_of_a_record_changed_elsewhere_is_a_conflict_first(
    session: Session, store: Store
) -> None:
    lead = await first_lead(session)
    store.update(CMD_NS, "lead", lead.id, {"JobTitle": "Promoted elsewhere"})
    with pytest.raises(EditConflict) as caught:
        await edits.delete_record(session, "lead", lead.id, loaded=lead.values)
    assert [c.field for c in caught.value.conflicts if c.field == "JobTitle"] == ["JobTitle"]
    assert server_lead(store, lead.id)["JobTitle"] == "Promoted elsewhere"  # not deleted
    entry = caught.value.entry
    assert Journal("journal-test").get(entry.id).state is State.CONFLICT

    # "theirs" keeps the record and discards the delete
    choices: dict[str, Any] = {c.field: "theirs" for c in caught.value.conflicts}
    kept = await outbox.resolve(session, entry.id, choices)
    assert kept.values["JobTitle"] == "Promoted elsewhere"
    assert store.get(CMD_NS, "lead", lead.id) is not None
    assert Journal("journal-test").get(entry.id).state is State.DISCARDED


async def test_a_conflicting_delete_resolved_mine_deletes_and_an_unchanged_one_just_deletes(
    session: Session, store: Store
) -> None:
    page = await session.backend.list_page("lead", Query(), 0, 2)
    changed, untouched = page.records
    store.update(CMD_NS, "lead", changed.id, {"JobTitle": "Elsewhere"})
    with pytest.raises(EditConflict) as caught:
        await edits.delete_record(session, "lead", changed.id, loaded=changed.values)
    choices: dict[str, Any] = {c.field: "mine" for c in caught.value.conflicts}
    await outbox.resolve(session, caught.value.entry.id, choices)
    assert store.get(CMD_NS, "lead", changed.id) is None
    # the journal keeps what was deleted: the server's values, their change included
    assert Journal("journal-test").get(caught.value.entry.id).loaded()["JobTitle"] == "Elsewhere"

    await edits.delete_record(session, "lead", untouched.id, loaded=untouched.values)
    assert store.get(CMD_NS, "lead", untouched.id) is None


async def test_revert_a_create_deletes_it_unless_changed_since(
    session: Session, store: Store
) -> None:
    made = await edits.create_record(session, "lead", {"LastName": "Revertme", "Email": "r@x.io"})
    original, now = await outbox.revert_last(session)
    assert original.op is Op.CREATE and original.record_id == made.id and now is None
    assert store.get(CMD_NS, "lead", made.id) is None

    again = await edits.create_record(session, "lead", {"LastName": "Keepme", "Email": "k@x.io"})
    store.update(CMD_NS, "lead", again.id, {"LastName": "Edited elsewhere"})
    with pytest.raises(EditConflict):
        await outbox.revert_last(session)
    assert server_lead(store, again.id)["LastName"] == "Edited elsewhere"


async def test_revert_a_delete_creates_the_record_again_with_a_new_id(
    session: Session, store: Store
) -> None:
    lead = await first_lead(session)
    before = server_lead(store, lead.id)
    await edits.delete_record(session, "lead", lead.id, loaded=lead.values)
    count = store.count(CMD_NS, "lead")
    original, record = await outbox.revert_last(session)
    assert original.op is Op.DELETE and record is not None
    assert record.id != lead.id  # the vendor assigns ids
    assert store.count(CMD_NS, "lead") == count + 1
    back = server_lead(store, record.id)
    for name in ("LastName", "FirstName", "Email", "JobTitle"):
        assert back.get(name) == before.get(name), name
    # the revert is itself the last change now: reverting again deletes the new record
    again, gone = await outbox.revert_last(session)
    assert again.op is Op.CREATE and gone is None
    assert store.get(CMD_NS, "lead", record.id) is None
