"""Every write goes through here: journaled on disk first, checked against the server, then sent.

Each entry point asks the write policy first (a profile that refuses writes refuses whoever calls),
validates once (values already validated pass as they are) and journals the write before it
is sent through `services.applying`: a field changed elsewhere since it was loaded makes an
`EditConflict`, never a silent overwrite. The outbox's retry, resolve, discard, edit and revert
live in `services.outbox`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from crmtui.model import Change, ChangeSet, Record, Validated, Validator, as_values, jsonable
from crmtui.model.sanitize import inert
from crmtui.services.applying import (
    EditConflict,
    FieldConflict,
    apply_action,
    apply_create,
    apply_delete,
    apply_update,
    failed,
    masked,
)
from crmtui.services.journal import Journal, Op, State, change_dicts
from crmtui.services.reconcile import natural_key, same
from crmtui.services.session import Session
from crmtui.services.write_policy import WritePath, ensure_allowed

T = TypeVar("T")


def journal_for(session: Session) -> Journal:
    """The journal of the session's profile."""
    return Journal(session.profile.name, session.profile.vendor)


async def save_changes(
    session: Session,
    entity: str,
    record_id: str,
    changes: Sequence[Change],
    *,
    current: Record | None = None,
    batch: str | None = None,
    path: WritePath = WritePath.EDIT,
) -> Record:
    """Send the changed fields of one record; returns the record as the vendor now holds it.

    `Change.old` is the value as loaded (the check's base). `current`, when given, is a record
    just read from the server (saves reading it again). Raises EditConflict on a stale write.
    Changes already validated (a `ChangeSet`, from the form, say) are not checked again.
    """
    ensure_allowed(session.profile, path)
    specs = {f.name: f for f in await session.backend.fields(entity)}
    names = [c.field for c in changes if not same(c.old, c.new, specs.get(c.field))]
    if not names:
        return current or await session.backend.get(entity, record_id)
    checked = _checked(await session.backend.validator(entity), changes, names)  # before journal
    journal = journal_for(session)
    entry = journal.new(
        Op.UPDATE, entity, record_id=record_id, changes=change_dicts(checked), batch=batch
    )
    return await apply_update(session, journal, entry, current=current, checked=checked)


def _checked(validator: Validator, changes: Sequence[Change], names: Sequence[str]) -> ChangeSet:
    """The changes of `names`, validated once (a ChangeSet of the same fields passes as it is)."""
    values = as_values(changes)
    part = values.only(names) if isinstance(values, Validated) else {n: values[n] for n in names}
    return ChangeSet(validator.check(part), {c.field: c.old for c in changes})


async def create_record(
    session: Session,
    entity: str,
    values: Mapping[str, Any],
    *,
    batch: str | None = None,
    path: WritePath = WritePath.CREATE,
) -> Record:
    """Create a record from field values (validated once, before anything is journaled or sent)."""
    ensure_allowed(session.profile, path)
    validator = await session.backend.validator(entity)
    typed = validator.check(values, creating=True).without_blanks()
    fields = await session.backend.fields(entity)
    journal = journal_for(session)
    entry = journal.new(
        Op.CREATE,
        entity,
        changes=change_dicts([Change(k, None, v) for k, v in typed.items()]),
        natural_key=natural_key(fields, typed),
        batch=batch,
    )
    return await apply_create(session, journal, entry, typed=typed)


async def delete_record(
    session: Session,
    entity: str,
    record_id: str,
    *,
    loaded: Mapping[str, Any] | None = None,
    reverts: str | None = None,
    path: WritePath = WritePath.DELETE,
) -> None:
    """Delete one record (its last values are kept in the journal).

    `loaded` is the record's values as the user saw them: a field changed elsewhere since makes
    an `EditConflict`, and nothing is deleted. Without it there is nothing to compare with.
    """
    ensure_allowed(session.profile, path)
    journal = journal_for(session)
    changes = change_dicts([Change(k, v, None) for k, v in (loaded or {}).items()])
    entry = journal.new(Op.DELETE, entity, record_id=record_id, changes=changes, reverts=reverts)
    await apply_delete(session, journal, entry)


async def run_action(
    session: Session, entity: str, record_id: str, action: str, params: Mapping[str, Any]
) -> str:
    """Run a record action (convert, close, linked create); returns the vendor's message."""
    return await journaled_action(
        session,
        entity,
        record_id,
        action,
        params,
        lambda: session.backend.run_action(entity, record_id, action, params),
        str,
    )


async def journaled_action(
    session: Session,
    entity: str,
    record_id: str,
    action: str,
    params: Mapping[str, Any],
    send: Callable[[], Awaitable[T]],
    summary: Callable[[T], str],
    path: WritePath = WritePath.ACTION,
) -> T:
    """Journal a vendor-specific write (a capture, say), then `send` it once.

    The outbox retries it through `backend.run_action(entity, record_id, action, params)`, so a
    backend offering such a write also offers it as an action.
    """
    ensure_allowed(session.profile, path)
    journal = journal_for(session)
    entry = journal.new(
        Op.ACTION,
        entity,
        record_id=record_id,
        action=action,
        params={k: jsonable(v) for k, v in params.items()},
    )
    journal.save(entry, state=State.IN_FLIGHT, attempts=entry.attempts + 1, error="")
    try:
        result = await send()
    except BaseException as exc:
        failed(session, journal, entry, exc, sent=True)
        raise
    journal.save(entry, state=State.APPLIED, after={"message": inert(summary(result))[:500]})
    return result


__all__ = [
    "EditConflict",
    "FieldConflict",
    "apply_action",
    "apply_create",
    "apply_delete",
    "apply_update",
    "create_record",
    "delete_record",
    "journal_for",
    "journaled_action",
    "masked",
    "run_action",
    "save_changes",
]
