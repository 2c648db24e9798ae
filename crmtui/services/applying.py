"""Sending one journaled write: checked against the server first, its state kept on disk.

An update sends only the fields that still differ from the server's values; a field someone
else changed since it was loaded makes an `EditConflict` (nothing overwritten). A create whose
answer was lost is looked for by reading before it is ever sent again. The entry points
(`save_changes`, `create_record`, ...) and the write policy live in `services.edits`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crmtui.errors import CrmError, NotFound, RateLimited, TransportError, VendorError, describe
from crmtui.model import Change, ChangeSet, Record, Validated, as_values, jsonable
from crmtui.model.sanitize import inert
from crmtui.services.journal import Entry, Journal, State, change_dicts
from crmtui.services.mirror_writes import written
from crmtui.services.reconcile import find_created, same
from crmtui.services.session import Session


@dataclass(frozen=True)
class FieldConflict:
    """One field changed elsewhere: as loaded, as the server has it now, and as edited."""

    field: str
    loaded: Any
    theirs: Any
    mine: Any


class EditConflict(CrmError):
    """Someone changed a field since it was loaded; nothing was sent, the edit is kept."""

    title = "Changed elsewhere"
    exit_code = 6

    def __init__(self, entry: Entry, conflicts: Sequence[FieldConflict]) -> None:
        self.entry = entry
        self.conflicts = list(conflicts)
        names = ", ".join(c.field for c in self.conflicts)
        super().__init__(
            f"{entry.target()} was changed elsewhere since it was loaded ({names}); nothing was "
            f"overwritten — your edit is kept as {entry.id} (crmtui outbox)"
        )


async def apply_update(
    session: Session,
    journal: Journal,
    entry: Entry,
    *,
    current: Record | None = None,
    checked: ChangeSet | None = None,
) -> Record:
    """Check `entry` against the server and send what still differs; the state follows.

    `checked` is the entry's changes as just validated (a first send); without it (a retry from
    the journal) the values are validated here, once, from their JSON form.
    """
    backend = session.backend
    assert entry.record_id is not None
    specs = {f.name: f for f in await backend.fields(entry.entity)}
    if current is None:
        try:
            current = await backend.get(entry.entity, entry.record_id)
        except BaseException as exc:
            failed(session, journal, entry, exc, sent=False)
            raise
    conflicts: list[FieldConflict] = []
    to_send: list[Change] = []
    for change in entry.as_changes():
        spec = specs.get(change.field)
        theirs = current.values.get(change.field)
        if same(theirs, change.new, spec):
            continue  # already there (our earlier attempt landed, or someone made the same edit)
        if same(theirs, change.old, spec):
            to_send.append(Change(change.field, theirs, change.new))
        else:
            conflicts.append(FieldConflict(change.field, change.old, theirs, change.new))
    if conflicts:
        theirs_map = {c.field: jsonable(c.theirs) for c in conflicts}
        names = ", ".join(c.field for c in conflicts)
        journal.save(
            entry, state=State.CONFLICT, theirs=theirs_map, error=f"changed elsewhere: {names}"
        )
        raise EditConflict(entry, conflicts)
    if not to_send:
        journal.save(entry, state=State.APPLIED, error="", after=_after(entry, current))
        return current
    journal.save(entry, state=State.IN_FLIGHT, attempts=entry.attempts + 1, error="")
    try:
        olds = {c.field: c.old for c in to_send}
        if checked is not None:
            sending = checked.only(olds, olds)
        else:
            validator = await backend.validator(entry.entity)
            sending = ChangeSet(validator.check(as_values(to_send)), olds)
        record = await backend.update(entry.entity, entry.record_id, sending)
    except BaseException as exc:
        failed(session, journal, entry, exc, sent=True)
        raise
    journal.save(entry, state=State.APPLIED, after=_after(entry, record))
    written(session, entry.entity, entry.record_id, record)
    return record


async def apply_create(
    session: Session, journal: Journal, entry: Entry, *, typed: Validated | None = None
) -> Record:
    """Send a create, unless reading shows an earlier attempt already made the record.

    `typed` is the entry's values as just validated (a first send); without it the backend
    validates the journal's values itself.
    """
    backend = session.backend
    if entry.attempts > 0 or entry.state in (State.UNKNOWN, State.IN_FLIGHT):
        found = await _reconcile(session, journal, entry)
        if found is not None:
            return found
    journal.save(entry, state=State.IN_FLIGHT, attempts=entry.attempts + 1, error="")
    try:
        record = await backend.create(entry.entity, entry.mine() if typed is None else typed)
    except BaseException as exc:
        state = failed(session, journal, entry, exc, sent=True)
        if state is State.UNKNOWN and not isinstance(exc, asyncio.CancelledError):
            try:
                found = await _reconcile(session, journal, entry)
            except CrmError:
                found = None  # cannot read now: it stays unknown, to reconcile on retry
            if found is not None:
                return found
        raise
    journal.save(entry, state=State.APPLIED, record_id=record.id, after=_after(entry, record))
    written(session, entry.entity, record.id, record)
    return record


async def _reconcile(session: Session, journal: Journal, entry: Entry) -> Record | None:
    """Look for the record an earlier attempt of `entry` made; mark it applied when found."""
    try:
        found = await find_created(
            session.backend, entry.entity, entry.mine(), entry.natural_key, entry.created
        )
    except BaseException as exc:
        journal.save(entry, state=State.UNKNOWN, error=_reason(session, exc, "could not check"))
        raise
    if found is not None:
        journal.save(
            entry, state=State.APPLIED, record_id=found.id, error="", after=_after(entry, found)
        )
    return found


async def apply_delete(session: Session, journal: Journal, entry: Entry) -> None:
    """Delete `entry`'s record, unless a field changed since it was loaded (`EditConflict`).

    A record already gone counts as deleted.
    """
    assert entry.record_id is not None
    try:
        current = await session.backend.get(entry.entity, entry.record_id)
    except NotFound:
        journal.save(entry, state=State.APPLIED, error="")
        return
    except BaseException as exc:
        failed(session, journal, entry, exc, sent=False)
        raise
    specs = {f.name: f for f in await session.backend.fields(entry.entity)}
    conflicts = [
        FieldConflict(name, old, current.values.get(name), None)
        for name, old in entry.loaded().items()
        if name in current.values and not same(current.values.get(name), old, specs.get(name))
    ]
    if conflicts:
        theirs_map = {c.field: jsonable(c.theirs) for c in conflicts}
        names = ", ".join(c.field for c in conflicts)
        journal.save(
            entry, state=State.CONFLICT, theirs=theirs_map, error=f"changed elsewhere: {names}"
        )
        raise EditConflict(entry, conflicts)
    # What is deleted is the server's whole record (a revert re-creates it from these).
    entry.changes = change_dicts([Change(k, v, None) for k, v in current.values.items()])
    journal.save(entry, state=State.IN_FLIGHT, attempts=entry.attempts + 1, error="")
    try:
        await session.backend.delete(entry.entity, entry.record_id)
    except NotFound:
        pass
    except BaseException as exc:
        failed(session, journal, entry, exc, sent=True)
        raise
    journal.save(entry, state=State.APPLIED)
    written(session, entry.entity, entry.record_id, None)


async def apply_action(session: Session, journal: Journal, entry: Entry) -> str:
    """Run `entry`'s action once."""
    assert entry.record_id is not None and entry.action is not None
    journal.save(entry, state=State.IN_FLIGHT, attempts=entry.attempts + 1, error="")
    try:
        message = await session.backend.run_action(
            entry.entity, entry.record_id, entry.action, entry.params
        )
    except BaseException as exc:
        failed(session, journal, entry, exc, sent=True)
        raise
    journal.save(entry, state=State.APPLIED, after={"message": inert(message)[:500]})
    return message


def failed(
    session: Session, journal: Journal, entry: Entry, exc: BaseException, *, sent: bool
) -> State:
    """Record why a write did not apply; returns the state it now has.

    A definite refusal is failed; a rate limit leaves it queued (nothing was processed); anything
    else after the request may have left (timeouts, dropped answers, 5xx, a kill) is unknown.
    """
    if isinstance(exc, VendorError):
        refused = exc.status is not None and 400 <= exc.status < 500
    else:
        refused = isinstance(exc, CrmError) and not isinstance(exc, TransportError)
    if isinstance(exc, RateLimited):
        state = State.QUEUED
    elif refused:
        state = State.FAILED
    else:
        state = State.UNKNOWN if sent else State.QUEUED
    journal.save(entry, state=state, error=_reason(session, exc))
    return state


def _reason(session: Session, exc: BaseException, prefix: str = "") -> str:
    if isinstance(exc, asyncio.CancelledError):
        text = "interrupted while sending"
    else:
        info = describe(exc)
        text = f"{info.title}: {info.message}"
    if prefix:
        text = f"{prefix}: {text}"
    return inert(masked(session, text))[:500]


def masked(session: Session, text: str) -> str:
    """`text` with the session's secrets masked (sessions without a redactor mask nothing)."""
    redactor = getattr(session, "redactor", None)
    return text if redactor is None else str(redactor.text(text))


def _after(entry: Entry, record: Record) -> dict[str, Any]:
    names = [c["field"] for c in entry.changes] or list(record.values)
    return {name: jsonable(record.values.get(name)) for name in names}
