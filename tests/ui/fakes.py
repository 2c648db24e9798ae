"""An in-memory backend and session that page like a vendor, for the TUI tests and the bench."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crmtui.backends.base import Backend
from crmtui.errors import NotFound
from crmtui.model import (
    Capability,
    Change,
    Choice,
    EntitySpec,
    FieldSpec,
    FieldType,
    Page,
    Query,
    Record,
)
from crmtui.model.filter import FilterSupport

STATUSES = (Choice("new", "New"), Choice("open", "Open"), Choice("won", "Won"))
LEAD_FIELDS = [
    FieldSpec("first_name", "First name"),
    FieldSpec("last_name", "Last name", required=True),
    FieldSpec("email", "Email", FieldType.EMAIL),
    FieldSpec("phone", "Phone", FieldType.PHONE),
    FieldSpec("status", "Status", FieldType.CHOICE, choices=STATUSES),
    FieldSpec("created", "Created", FieldType.DATE, read_only=True),
    FieldSpec("notes", "Notes", FieldType.TEXT),
]
ALL = frozenset(Capability)


def lead(i: int) -> Record:
    """Lead number `i` (ids start at 1)."""
    values = {
        "first_name": f"First{i}",
        "last_name": f"Last{i:06d}",
        "email": f"person{i}@example.com",
        "phone": f"+1 555 {i:07d}",
        "status": STATUSES[i % 3].value,
        "created": dt.date(2024, 1, 1) + dt.timedelta(days=i % 365),
        "notes": "",
    }
    return Record("lead", str(i), values)


class FakeBackend(Backend):
    """Leads (server sort and totals, no search) and contacts (server search by email)."""

    vendor = "fake"
    label = "Fake CRM"
    capabilities = ALL - {Capability.SEARCH}
    max_page_size = 100

    def __init__(self, leads: int = 10_000, *, delay: float = 0.0, total: bool = True) -> None:
        self.settings, self.secrets, self.http = None, {}, None  # type: ignore[assignment]
        self._fields, self._validators = {}, {}
        self.delay = delay
        self.give_total = total
        self.calls: list[tuple[str, Query, int, int]] = []
        self.data: dict[str, list[Record]] = {
            "lead": [lead(i) for i in range(1, leads + 1)],
            "contact": [Record("contact", f"c{i}", {**lead(i).values}) for i in range(1, 51)],
        }

    async def entities(self) -> list[EntitySpec]:
        return [
            EntitySpec("lead", "Leads", ALL - {Capability.SEARCH}, ("first_name", "last_name")),
            EntitySpec(
                "contact", "Contacts", ALL, ("first_name", "last_name"), search_fields=("email",)
            ),
        ]

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        return list(LEAD_FIELDS)

    def filter_support(self, entity: str) -> FilterSupport:
        """Contacts: exact email on the server; leads: nothing."""
        if entity == "contact":
            return FilterSupport({"email": frozenset({"eq"})}, max_conditions=1)
        return FilterSupport()

    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        self.calls.append((entity, query, offset, limit))
        if self.delay:
            await asyncio.sleep(self.delay)
        rows = self.data[entity]
        for flt in query.filters:
            rows = [r for r in rows if str(r.values.get(flt.field, "")) == flt.value]
        if query.sort is not None:
            name = query.sort.field
            rows = sorted(
                rows, key=lambda r: str(r.values.get(name) or ""), reverse=query.sort.descending
            )
        chunk = rows[offset : offset + min(limit, self.max_page_size)]
        end = offset + len(chunk)
        return Page(
            chunk, offset, end if end < len(rows) else None, len(rows) if self.give_total else None
        )

    async def get(self, entity: str, record_id: str) -> Record:
        for record in self.data[entity]:
            if record.id == record_id:
                return record
        raise NotFound(f"no {entity} {record_id}")

    async def update(self, entity: str, record_id: str, changes: Sequence[Change]) -> Record:
        old = await self.get(entity, record_id)
        new = Record(entity, record_id, {**old.values, **{c.field: c.new for c in changes}})
        rows = self.data[entity]
        rows[rows.index(old)] = new
        return new

    async def create(self, entity: str, values: Mapping[str, Any]) -> Record:
        record = Record(entity, f"n{len(self.data[entity]) + 1}", dict(values))
        self.data[entity].append(record)
        return record

    async def delete(self, entity: str, record_id: str) -> None:
        self.data[entity].remove(await self.get(entity, record_id))

    async def aclose(self) -> None:
        return None


@dataclass
class FakeProfile:
    """What the UI reads of a profile."""

    name: str = "test"
    vendor: str = "fake"
    mode: str = "write"
    production: bool = False
    label: str | None = "Test CRM"


@dataclass
class FakeEntry:
    """A request log entry."""

    duration: float


@dataclass
class FakeLog:
    """A request log with fixed figures (deterministic snapshots)."""

    count: int = 3
    last: FakeEntry | None = field(default_factory=lambda: FakeEntry(0.012))

    def subscribe(self, callback: Any) -> Any:
        return lambda: None


@dataclass
class FakeBudget:
    """A fixed budget label."""

    degraded: bool = False

    def label(self) -> str:
        return "calls 3/50,000 today · 1/10 per s"


@dataclass
class FakeSession:
    """What the UI uses of a Session."""

    backend: FakeBackend
    profile: FakeProfile = field(default_factory=FakeProfile)
    log: FakeLog = field(default_factory=FakeLog)
    closed: bool = False

    def budget(self) -> FakeBudget:
        return FakeBudget()

    async def aclose(self) -> None:
        self.closed = True
