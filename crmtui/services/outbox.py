"""The outbox: journaled writes not yet applied — retry, resolve, edit, discard; and revert."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from crmtui.errors import UsageError
from crmtui.model import Change, Record, jsonable
from crmtui.services.edits import (
    apply_action,
    apply_create,
    apply_delete,
    apply_update,
    delete_record,
    journal_for,
)
from crmtui.services.journal import Entry, Op, State, change_dicts
from crmtui.services.reconcile import natural_key
from crmtui.services.session import Session
from crmtui.services.write_policy import WritePath, ensure_allowed

Choice = Literal["mine", "theirs"]


def pending(session: Session) -> list[Entry]:
    """The session's profile's writes that are not applied, oldest first."""
    return journal_for(session).pending()


def _usable(entry: Entry) -> None:
    if not entry.pending:
        raise UsageError(f"{entry.id} is {entry.state.value}; there is nothing to do")
    if entry.state is State.IN_FLIGHT and not entry.interrupted:
        raise UsageError(f"{entry.id} is being sent right now by process {entry.pid}")


async def retry(session: Session, ref: str, *, force: bool = False) -> Record | str | None:
    """Send a pending write again, after the same checks as the first time.

    An update is compared with the server first (a landed earlier attempt counts as applied);
    a create is looked for by reading before it is resent; a delete of a record already gone
    is done. An action whose outcome is unknown is only resent with `force`.
    """
    ensure_allowed(session.profile, WritePath.RETRY)
    journal = journal_for(session)
    entry = journal.get(ref)
    _usable(entry)
    if entry.op is Op.UPDATE:
        return await apply_update(session, journal, entry)
    if entry.op is Op.CREATE:
        return await apply_create(session, journal, entry)
    if entry.op is Op.DELETE:
        await apply_delete(session, journal, entry)
        return None
    maybe_ran = entry.state is State.UNKNOWN or entry.interrupted
    if maybe_ran and not force:
        raise UsageError(
            f"{entry.id}: the action {entry.action!r} may already have run (its answer was lost); "
            "check the record, then retry with --force to run it again, or discard it"
        )
    return await apply_action(session, journal, entry)


async def resolve(session: Session, ref: str, choices: Mapping[str, Choice]) -> Record:
    """Settle a conflict field by field ("mine" or "theirs"), then send what remains.

    Every conflicting field needs a choice; fields that did not conflict keep the edit. The
    server's values at the conflict become the new base, so a further change is caught again.
    A delete goes ahead only when every field says "mine" (delete it anyway); a "theirs" keeps
    the record and discards the delete. Returns the record as it is now (for a delete that went
    ahead: as it was when deleted).
    """
    ensure_allowed(session.profile, WritePath.RESOLVE)
    journal = journal_for(session)
    entry = journal.get(ref)
    if entry.state is not State.CONFLICT:
        raise UsageError(f"{entry.id} is {entry.shown_state}, not a conflict")
    missing = [name for name in entry.theirs if name not in choices]
    if missing:
        raise UsageError(f"choose mine or theirs for: {', '.join(missing)}")
    wrong = [n for n in entry.theirs if choices[n] not in ("mine", "theirs")]
    if wrong:
        raise UsageError(f"{wrong[0]}: choose mine or theirs, not {choices[wrong[0]]!r}")
    if entry.op is Op.DELETE:
        return await _resolve_delete(session, entry, choices)
    changes: list[dict[str, Any]] = []
    for change in entry.changes:
        name = change["field"]
        if name not in entry.theirs:
            changes.append(change)
        elif choices[name] == "mine":
            changes.append({**change, "old": entry.theirs[name]})
    journal.save(entry, changes=changes, theirs={}, state=State.QUEUED, error="")
    return await apply_update(session, journal, entry)


async def _resolve_delete(session: Session, entry: Entry, choices: Mapping[str, Choice]) -> Record:
    journal = journal_for(session)
    assert entry.record_id is not None
    if any(choices[name] == "theirs" for name in entry.theirs):
        journal.save(entry, state=State.DISCARDED, error="kept: their changes win over the delete")
        return await session.backend.get(entry.entity, entry.record_id)
    changes = [
        {**c, "old": entry.theirs[c["field"]]} if c["field"] in entry.theirs else c
        for c in entry.changes
    ]
    journal.save(entry, changes=changes, theirs={}, state=State.QUEUED, error="")
    await apply_delete(session, journal, entry)
    return Record(entry.entity, entry.record_id, entry.loaded())


def discard(session: Session, ref: str) -> Entry:
    """Give up a pending write (it stays in the journal, marked discarded)."""
    journal = journal_for(session)
    entry = journal.get(ref)
    _usable(entry)
    return journal.save(entry, state=State.DISCARDED)


async def edit(session: Session, ref: str, values: Mapping[str, Any]) -> Entry:
    """Change the values a pending create or update will send; it is queued, not sent."""
    journal = journal_for(session)
    entry = journal.get(ref)
    _usable(entry)
    if entry.op not in (Op.CREATE, Op.UPDATE):
        kind = entry.op.value
        raise UsageError(f"{entry.id} is a {kind}; only creates and updates can be edited")
    validator = await session.backend.validator(entry.entity)
    typed = validator.check(values)  # the form's values, already checked, pass as they are
    changes = {c["field"]: dict(c) for c in entry.changes}
    base: Record | None = None
    for name, value in typed.items():
        if name in changes:
            changes[name]["new"] = jsonable(value)
            continue
        if entry.op is Op.UPDATE and base is None:
            assert entry.record_id is not None
            base = await session.backend.get(entry.entity, entry.record_id)
        old = base.values.get(name) if base is not None else None
        changes[name] = change_dicts([Change(name, old, value)])[0]
    return journal.save(entry, changes=list(changes.values()), state=State.QUEUED, error="")


def last_revertible(
    session: Session, entity: str | None = None, record_id: str | None = None
) -> Entry:
    """The newest applied create, update or delete not reverted yet (of one record, if given)."""
    entries = journal_for(session).entries()
    reverted = {e.reverts for e in entries if e.reverts and e.state is State.APPLIED}
    for entry in reversed(entries):
        if entry.op is Op.ACTION or entry.state is not State.APPLIED or entry.id in reverted:
            continue
        if (entity and entry.entity != entity) or (record_id and entry.record_id != record_id):
            continue
        if entry.op is Op.CREATE and not entry.record_id:
            continue  # applied without a known id: nothing to point a delete at
        return entry
    raise UsageError("nothing to revert: no applied change in the journal")


async def revert_last(
    session: Session, entity: str | None = None, record_id: str | None = None
) -> tuple[Entry, Record | None]:
    """Undo the newest applied change (of one record, if given), with the same stale check.

    An update is undone field by field; a create by deleting the record, only if it is
    unchanged since it was created; a delete by creating the record again from the values the
    journal kept (where the vendor assigns ids, it gets a new id; read-only fields such as
    creation dates are the vendor's own). Returns the change reverted and the record as it is
    now (None after a delete). A field changed elsewhere is an EditConflict; nothing is
    overwritten.
    """
    ensure_allowed(session.profile, WritePath.REVERT)
    journal = journal_for(session)
    original = last_revertible(session, entity, record_id)
    assert original.record_id is not None
    if original.op is Op.CREATE:
        await delete_record(
            session,
            original.entity,
            original.record_id,
            loaded=original.after or original.mine(),
            reverts=original.id,
            path=WritePath.REVERT,
        )
        return original, None
    if original.op is Op.DELETE:
        return original, await _recreate(session, original)
    now = original.after
    inverse = [
        {"field": c["field"], "old": now.get(c["field"], c["new"]), "new": c["old"]}
        for c in original.changes
    ]
    entry = journal.new(
        Op.UPDATE,
        original.entity,
        record_id=original.record_id,
        changes=inverse,
        reverts=original.id,
    )
    return original, await apply_update(session, journal, entry)


def revert_plan(entry: Entry) -> list[tuple[str, Any, Any]]:
    """What reverting `entry` would do, field by field: (field, now, after the revert)."""
    if entry.op is Op.CREATE:
        return [(name, value, None) for name, value in (entry.after or entry.mine()).items()]
    if entry.op is Op.DELETE:
        return [(c["field"], None, c["old"]) for c in entry.changes if c["old"] is not None]
    return [(c["field"], entry.after.get(c["field"], c["new"]), c["old"]) for c in entry.changes]


async def _recreate(session: Session, original: Entry) -> Record:
    """Create the deleted record again from its values before the delete (writable fields)."""
    fields = await session.backend.fields(original.entity)
    writable = {f.name for f in fields if not f.read_only}
    values = {k: v for k, v in original.loaded().items() if k in writable and v is not None}
    validator = await session.backend.validator(original.entity)
    typed = validator.check(values, creating=True).without_blanks()
    journal = journal_for(session)
    entry = journal.new(
        Op.CREATE,
        original.entity,
        changes=change_dicts([Change(k, None, v) for k, v in typed.items()]),
        natural_key=natural_key(fields, typed),
        reverts=original.id,
    )
    return await apply_create(session, journal, entry, typed=typed)
