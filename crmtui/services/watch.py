"""Watch an entity: poll `changed_since` within the rate budget and report what is new or changed.

Shared by `crmtui watch ENTITY` and the TUI's Watch screen. Each poll asks the backend for records
created or updated since the watch started and reports those not seen before, or seen with an
older change time, newest first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from crmtui.backends.base import Backend
from crmtui.errors import RateLimited
from crmtui.model import Capability, Record

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
    ) -> None:
        self.backend = backend
        self.entity = entity
        start = since or clock()
        # Vendors stamp whole seconds: start at the second the watch began.
        self.since = start.astimezone(dt.UTC).replace(microsecond=0)
        self._seen: dict[str, dt.datetime | None] = {}
        self.polls = 0

    async def check(self) -> None:
        """UsageError unless the entity can be watched."""
        spec = await self.backend.entity(self.entity)
        if not spec.can(Capability.WATCH):
            from crmtui.errors import UsageError

            raise UsageError(f"{self.backend.label} cannot watch {spec.label.lower()}")

    async def poll(self) -> list[Change]:
        """One round: the records created or changed since the last round, newest first."""
        records = await self.backend.changed_since(self.entity, self.since)
        self.polls += 1
        changes: list[Change] = []
        for record in records:
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


def _stamp(record: Record, name: str) -> dt.datetime | None:
    value = record.values.get(name)
    return value if isinstance(value, dt.datetime) else None
