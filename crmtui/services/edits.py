"""Every write goes through here: validated, only the changed fields sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from crmtui.errors import UsageError
from crmtui.model import Change, Record
from crmtui.services.session import Session


def check_writable(session: Session) -> None:
    """Refuse any write on a read-only profile."""
    if session.profile.mode == "read-only":
        raise UsageError(f"profile {session.profile.name!r} is read-only; no changes are sent")


async def save_changes(
    session: Session, entity: str, record_id: str, changes: Sequence[Change]
) -> Record:
    """Send the changed fields of one record; returns the record as the vendor now holds it."""
    check_writable(session)
    changed = [c for c in changes if c.old != c.new]
    if not changed:
        return await session.backend.get(entity, record_id)
    return await session.backend.update(entity, record_id, changed)


async def create_record(session: Session, entity: str, values: Mapping[str, Any]) -> Record:
    """Create a record from field values."""
    check_writable(session)
    return await session.backend.create(entity, values)


async def delete_record(session: Session, entity: str, record_id: str) -> None:
    """Delete one record."""
    check_writable(session)
    await session.backend.delete(entity, record_id)
