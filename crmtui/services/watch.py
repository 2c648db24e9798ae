"""Watch an entity: poll `changed_since` within the rate budget and report what is new or changed.

Shared by `crmtui watch ENTITY` and the TUI's Watch screen. Each poll asks the backend for records
created or updated since the watch started and reports those not seen before, or seen with an
older change time, newest first. Filters (`FIELD=VALUE[,VALUE...]`) keep only matching records:
leads with some email addresses, events of some kinds (email opens, page visits, form fills).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from crmtui.backends.base import Backend
from crmtui.errors import RateLimited, UsageError
from crmtui.model import Capability, EntitySpec, Filter, Record

Kind = Literal["new", "updated"]
DEFAULT_INTERVAL = 5.0  # seconds between polls: a poll costs two requests of the 10/s budget


@dataclass(frozen=True)
class Change:
    """A record that appeared (`new`: created since the watch began) or changed (`updated`)."""

    kind: Kind
    record: Record
    at: dt.datetime | None


class Watcher:
    """Polls one entity; `poll()` returns what appeared since the previous poll, newest first."""

    def __init__(
        self,
        backend: Backend,
        entity: str,
        *,
        since: dt.datetime | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        filters: Sequence[Filter] = (),
    ) -> None:
        self.backend = backend
        self.entity = entity
        self.filters = tuple(filters)
        start = since or clock()
        # Vendors stamp whole seconds: start at the second the watch began.
        self.since = start.astimezone(dt.UTC).replace(microsecond=0)
        self._seen: dict[str, dt.datetime | None] = {}
        self.polls = 0

    async def check(self) -> None:
        """UsageError unless the entity can be watched."""
        spec = await self.backend.entity(self.entity)
        if not spec.can(Capability.WATCH):
            raise UsageError(f"{self.backend.label} cannot watch {spec.label.lower()}")

    async def poll(self) -> list[Change]:
        """One round: the records created or changed since the last round, newest first."""
        records = await self.backend.changed_since(self.entity, self.since)
        self.polls += 1
        changes: list[Change] = []
        for record in records:
            if not matches(record, self.filters):
                continue
            at = _stamp(record, "updateTimestamp") or _stamp(record, "createTimestamp")
            if record.id in self._seen and self._seen[record.id] == at:
                continue
            created = _stamp(record, "createTimestamp")
            kind: Kind = "new" if created is not None and created >= self.since else "updated"
            if record.id in self._seen:
                kind = "updated"
            self._seen[record.id] = at
            changes.append(Change(kind, record, at))
        return changes

    async def run(
        self,
        on_changes: Callable[[list[Change]], None],
        *,
        interval: float = DEFAULT_INTERVAL,
        polls: int | None = None,
        on_wait: Callable[[float, str], None] | None = None,
    ) -> None:
        """Poll every `interval` seconds (forever, or `polls` times), reporting each batch.

        A rate limit pauses the loop for as long as the vendor asks, then it goes on.
        """
        while polls is None or self.polls < polls:
            try:
                changes = await self.poll()
            except RateLimited as exc:
                wait = exc.retry_after if exc.retry_after is not None else interval
                if on_wait is not None:
                    on_wait(wait, exc.message)
                await asyncio.sleep(max(wait, interval))
                continue
            if changes:
                on_changes(changes)
            if polls is not None and self.polls >= polls:
                return
            await asyncio.sleep(interval)


def parse_filters(texts: Sequence[str]) -> tuple[Filter, ...]:
    """`FIELD=VALUE[,VALUE...]` words as filters (a record matches any of a filter's values)."""
    found = []
    for text in texts:
        name, sep, value = text.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise UsageError(f"a watch filter is FIELD=VALUE[,VALUE...], not {text!r}")
        found.append(Filter(name.strip(), value.strip()))
    return tuple(found)


def matches(record: Record, filters: Sequence[Filter]) -> bool:
    """Whether `record` holds, for every filter, one of its comma-separated values.

    Compared without case (SharpSpring and LeadSquared match email addresses so): how seed 001's
    "Watch Leads" narrows to some email addresses, or a watch of events to some kinds.
    """
    for f in filters:
        wanted = {v.strip().casefold() for v in f.value.split(",") if v.strip()}
        value = record.values.get(f.field, record.id if f.field == "id" else None)
        if value is None or str(value).strip().casefold() not in wanted:
            return False
    return True


def summary(record: Record, spec: EntitySpec) -> str:
    """The values of the entity's search fields (an email, an event's lead and kind), joined."""
    values = (record.values.get(name) for name in spec.search_fields)
    return " · ".join(str(v) for v in values if v not in (None, ""))


def _stamp(record: Record, name: str) -> dt.datetime | None:
    value = record.values.get(name)
    return value if isinstance(value, dt.datetime) else None
