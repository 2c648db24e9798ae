"""The write journal: every write is on disk, with its values before and after, before it is sent.

One journal per profile (JSON lines in the data dir, see journal_store). An entry moves through
queued -> in flight -> applied, or stops at failed / conflict / unknown, where the outbox offers
retry, edit and discard. An entry left "in flight" by a process that died is shown as interrupted.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from crmtui.errors import StorageError, UsageError, storage_error
from crmtui.model import Change, jsonable
from crmtui.services import journal_store


class State(StrEnum):
    """Where a journaled write stands."""

    QUEUED = "queued"
    IN_FLIGHT = "in flight"
    APPLIED = "applied"
    FAILED = "failed"
    CONFLICT = "conflict"
    UNKNOWN = "unknown"
    DISCARDED = "discarded"


class Op(StrEnum):
    """What a journaled write does."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ACTION = "action"


DONE = frozenset({State.APPLIED, State.DISCARDED})


@dataclass
class Entry:
    """One write: what it changes (old = as loaded, new = mine), its state and its history."""

    id: str
    profile: str
    vendor: str
    op: Op
    entity: str
    record_id: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    action: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    natural_key: list[str] = field(default_factory=list)
    state: State = State.QUEUED
    created: float = 0.0
    updated: float = 0.0
    attempts: int = 0
    error: str = ""
    theirs: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    reverts: str | None = None
    batch: str | None = None
    pid: int | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entry:
        """An entry from its JSON form (unknown keys ignored, so older files still load)."""
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        values["op"] = Op(values["op"])
        values["state"] = State(values.get("state", State.QUEUED))
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written to the journal."""
        data = asdict(self)
        data["op"] = self.op.value
        data["state"] = self.state.value
        return data

    @property
    def pending(self) -> bool:
        """Whether the write still needs the user (not applied, not discarded)."""
        return self.state not in DONE

    @property
    def interrupted(self) -> bool:
        """In flight in a process that is gone (killed, hung up): the outcome is not known."""
        return self.state is State.IN_FLIGHT and not _alive(self.pid)

    @property
    def shown_state(self) -> str:
        """The state as the outbox shows it."""
        return "interrupted" if self.interrupted else self.state.value

    def mine(self) -> dict[str, Any]:
        """The new values, by field."""
        return {c["field"]: c["new"] for c in self.changes}

    def loaded(self) -> dict[str, Any]:
        """The values as they were when the edit began, by field."""
        return {c["field"]: c["old"] for c in self.changes}

    def as_changes(self) -> list[Change]:
        """The changes as model Changes (values in their JSON form)."""
        return [Change(c["field"], c["old"], c["new"]) for c in self.changes]

    def target(self) -> str:
        """`entity id` or `entity (new)`."""
        return f"{self.entity} {self.record_id}" if self.record_id else f"{self.entity} (new)"

    def summary(self) -> str:
        """One line: id, state, op, target and the fields it changes."""
        if self.op is Op.ACTION:
            what = f"action {self.action}"
        else:
            what = ", ".join(f"{c['field']}={_short(c['new'])}" for c in self.changes[:4])
            if len(self.changes) > 4:
                what += f", +{len(self.changes) - 4} more"
        line = f"{self.id}  {self.shown_state:<11} {self.op.value:<6} {self.target()}  {what}"
        return f"{line}  — {self.error}" if self.error else line


def change_dicts(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """Changes in their JSON form, for an entry."""
    return [{"field": c.field, "old": jsonable(c.old), "new": jsonable(c.new)} for c in changes]


class Journal:
    """The journal of one profile."""

    def __init__(self, profile: str, vendor: str = "") -> None:
        self.profile = profile
        self.vendor = vendor
        try:
            self.path = journal_store.journal_path(profile)
        except OSError as exc:  # the data dir is missing and cannot be made
            raise _unwritable(exc, "nothing was sent and nothing was kept") from None

    def new(self, op: Op, entity: str, **values: Any) -> Entry:
        """Record a new queued write (on disk, fsynced) and return it."""
        now = time.time()
        entry = Entry(
            id=uuid.uuid4().hex[:8],
            profile=self.profile,
            vendor=self.vendor,
            op=op,
            entity=entity,
            created=now,
            updated=now,
            **values,
        )
        try:
            journal_store.append(self.path, entry.to_dict())
        except OSError as exc:
            raise _unwritable(exc, "nothing was sent and nothing was kept", self.path) from None
        return entry

    def save(self, entry: Entry, **changes: Any) -> Entry:
        """Change some attributes of `entry` and write its new version (fsynced)."""
        before = entry.shown_state
        for name, value in changes.items():
            setattr(entry, name, value)
        if "state" in changes:
            entry.pid = os.getpid() if entry.state is State.IN_FLIGHT else None
        entry.updated = time.time()
        try:
            journal_store.append(self.path, entry.to_dict())
        except OSError as exc:
            raise _unwritable(exc, _kept(entry, before), self.path) from None
        return entry

    def entries(self) -> list[Entry]:
        """Every entry, oldest first."""
        items = journal_store.load(self.path).values()
        return sorted((Entry.from_dict(i) for i in items), key=lambda e: e.created)

    def pending(self) -> list[Entry]:
        """The writes not applied (queued, in flight, failed, conflict, unknown), oldest first."""
        return [e for e in self.entries() if e.pending]

    def get(self, ref: str) -> Entry:
        """The entry whose id is `ref` or starts with it; UsageError when none or several."""
        ref = ref.strip()
        found = [e for e in self.entries() if e.id == ref] or [
            e for e in self.entries() if ref and e.id.startswith(ref)
        ]
        if not found:
            raise UsageError(f"no journal entry {ref!r} for profile {self.profile!r}")
        if len(found) > 1:
            raise UsageError(f"{ref!r} matches several journal entries; give more of the id")
        return found[0]

    def last_applied_update(self, entity: str | None = None, record_id: str | None = None) -> Entry:
        """The newest applied update not reverted yet (optionally of one record)."""
        entries = self.entries()
        reverted = {e.reverts for e in entries if e.reverts and e.state is State.APPLIED}
        for entry in reversed(entries):
            if entry.op is not Op.UPDATE or entry.state is not State.APPLIED:
                continue
            if entry.id in reverted or (entity and entry.entity != entity):
                continue
            if record_id and entry.record_id != record_id:
                continue
            return entry
        raise UsageError("nothing to revert: no applied change in the journal")


def pending_summary(profile_name: str) -> str | None:
    """A sentence for the quit prompt and the start notice, or None when nothing is pending."""
    pending = Journal(profile_name).pending()
    if not pending:
        return None
    counts: dict[str, int] = {}
    for entry in pending:
        counts[entry.shown_state] = counts.get(entry.shown_state, 0) + 1
    detail = ", ".join(f"{n} {state}" for state, n in counts.items())
    noun = "edit is" if len(pending) == 1 else "edits are"
    return (
        f"{len(pending)} {noun} not applied yet ({detail}); they are kept in the outbox "
        "(crmtui outbox) and nothing is lost."
    )


def _unwritable(exc: OSError, kept: str, path: object = None) -> StorageError:
    where = path if path is not None else (exc.filename or "the data dir")
    return storage_error(f"the journal {where}", exc, kept)


def _kept(entry: Entry, before: str) -> str:
    """What is true after the journal failed to record `entry`'s new state."""
    if entry.state is State.IN_FLIGHT:
        return f"nothing was sent; entry {entry.id} stays {before} in the outbox"
    if entry.state is State.APPLIED:
        return (
            f"the change WAS applied at the vendor, but entry {entry.id} still shows {before} "
            "in the outbox (check the record before retrying it)"
        )
    return f"entry {entry.id} ended {entry.state.value} but still shows {before} in the outbox"


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 30 else text[:29] + "…"
