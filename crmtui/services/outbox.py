"""The outbox: journaled writes not yet applied — retry, resolve, edit, discard, revert."""

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
    check_writable,
    journal_for,
)
from crmtui.services.journal import Entry, Op, State, change_dicts
from crmtui.services.session import Session

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
    check_writable(session)
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
    """
    check_writable(session)
    journal = journal_for(session)
    entry = journal.get(ref)
    if entry.state is not State.CONFLICT:
        raise UsageError(f"{entry.id} is {entry.shown_state}, not a conflict")
    missing = [name for name in entry.theirs if name not in choices]
    if missing:
        raise UsageError(f"choose mine or theirs for: {', '.join(missing)}")
    changes: list[dict[str, Any]] = []
    for change in entry.changes:
        name = change["field"]
        if name not in entry.theirs:
            changes.append(change)
        elif choices[name] == "mine":
            changes.append({**change, "old": entry.theirs[name]})
        elif choices[name] != "theirs":
            raise UsageError(f"{name}: choose mine or theirs, not {choices[name]!r}")
    journal.save(entry, changes=changes, theirs={}, state=State.QUEUED, error="")
    return await apply_update(session, journal, entry)


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
    typed = validator.validate(values)
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


async def revert_last(
    session: Session, entity: str | None = None, record_id: str | None = None
) -> tuple[Entry, Record]:
    """Undo the newest applied update (of one record, if given), with the same stale check.

    Returns the update reverted and the record as it is now. If the fields changed again since
    (elsewhere), it is an EditConflict like any other and nothing is overwritten.
    """
    check_writable(session)
    journal = journal_for(session)
    original = journal.last_applied_update(entity, record_id)
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
