"""The one home of the test fakes: in-memory backends, a real Session over them, a host app.

`FakeBackend` pages like a vendor (10,000 leads, server sort, totals); `FormBackend` keeps a few
rich records, validates writes and can be told to fail the next one. `FakeSession` (or
`make_session`) wraps either in a real `crmtui.services.session.Session` with a real profile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from crmtui.backends.base import Backend
from crmtui.errors import NotFound
from crmtui.http.log import LogEntry, RequestLog
from crmtui.http.pacing import BudgetSnapshot
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
from crmtui.model.profile import Mode, ProfileBase
from crmtui.services.session import Session

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


class FakeProfile(ProfileBase):
    """A real profile of the fake vendor, with defaults (what the UI and the write policy read)."""

    name: str = "test"
    vendor: str = "fake"
    base_url: str = "http://127.0.0.1"
    mode: Mode = "write"
    label: str | None = "Test CRM"


def fixed_log(requests: int = 3, latency: float = 0.012) -> RequestLog:
    """A real request log holding `requests` fixed entries (deterministic status bar)."""
    log = RequestLog()
    for _ in range(requests):
        log.add(LogEntry(0.0, "GET", "http://127.0.0.1/lead", 200, latency, 0, 0, 1, None, "read"))
    return log


FIXED_BUDGET = BudgetSnapshot(
    calls=3,
    quota_limit=50_000,
    quota_remaining=49_997,
    quota_reset_at=None,
    window_limit=10,
    window_seconds=1.0,
    window_used=1,
    degraded=False,
    quota_period=86_400.0,
)  # "calls 3/50,000 today · 1/10 per s"


class FakeSession(Session):
    """A real `Session` over a fake backend; only its figures are fixed (request log, budget).

    The fake backends make no HTTP requests, so the status bar reads fixed figures instead: the
    snapshots stay deterministic. `closed` tells a test the session was closed.
    """

    def __init__(self, backend: Backend, profile: ProfileBase | None = None) -> None:
        super().__init__(profile or FakeProfile(), backend)
        self.fixed_log = fixed_log()
        self.closed = False

    @property
    def log(self) -> RequestLog:
        return self.fixed_log

    def budget(self) -> BudgetSnapshot:
        return FIXED_BUDGET

    async def aclose(self) -> None:
        self.closed = True
        await super().aclose()


LEAD = EntitySpec(
    name="lead",
    label="Lead",
    capabilities=frozenset({Capability.LIST, Capability.CREATE, Capability.UPDATE}),
    title_fields=("first_name", "last_name"),
)
STATUS = (Choice("new", "New"), Choice("working", "Working"), Choice("qualified", "Qualified"))
FIELDS = [
    FieldSpec("id", "Id", read_only=True),
    FieldSpec("first_name", "First name", required=True, max_length=40),
    FieldSpec("last_name", "Last name"),
    FieldSpec("email", "Email", FieldType.EMAIL),
    FieldSpec("phone", "Phone", FieldType.PHONE),
    FieldSpec("website", "Website", FieldType.URL),
    FieldSpec("status", "Status", FieldType.CHOICE, choices=STATUS),
    FieldSpec("employees", "Employees", FieldType.INTEGER),
    FieldSpec("revenue", "Revenue", FieldType.DECIMAL),
    FieldSpec("do_not_call", "Do not call", FieldType.BOOLEAN),
    FieldSpec("birthday", "Birthday", FieldType.DATE),
    FieldSpec("notes", "Notes", FieldType.TEXT),
    FieldSpec("created", "Created", FieldType.DATETIME, read_only=True),
    FieldSpec("cf_region", "Region", custom=True),
]


def ada() -> Record:
    """A typical lead."""
    return Record(
        "lead",
        "L-1",
        {
            "id": "L-1",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            "phone": "+44 20 7946 0000",
            "website": "https://ada.example.com",
            "status": "new",
            "employees": 12,
            "revenue": Decimal("1250.50"),
            "do_not_call": False,
            "birthday": dt.date(1815, 12, 10),
            "notes": "First programmer.\nLikes engines.",
            "created": dt.datetime(2024, 1, 2, 3, 4, 5),
            "cf_region": "EMEA",
        },
    )


class FormBackend(Backend):
    """Keeps records in a dict, records every write, and can be told to fail the next one."""

    vendor = "fake"
    label = "Fake CRM"
    capabilities = frozenset(Capability)

    def __init__(self, records: Sequence[Record] = ()) -> None:
        super().__init__(None, {}, None)  # type: ignore[arg-type]
        self.records = {r.id: r for r in records}
        self.updates: list[list[Change]] = []
        self.creates: list[dict[str, Any]] = []
        self.deletes: list[str] = []
        self.fail_next: Exception | None = None

    async def entities(self) -> list[EntitySpec]:
        return [LEAD]

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        return list(FIELDS)

    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        rows = list(self.records.values())[offset : offset + limit]
        end = offset + len(rows)
        return Page(rows, offset, end if end < len(self.records) else None, len(self.records))

    async def get(self, entity: str, record_id: str) -> Record:
        if record_id not in self.records:
            raise NotFound(f"no {entity} {record_id}")
        return self.records[record_id]

    def _maybe_fail(self) -> None:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error

    async def update(self, entity: str, record_id: str, changes: Sequence[Change]) -> Record:
        self._maybe_fail()
        self.updates.append(list(changes))
        typed = (await self.validator(entity)).validate({c.field: c.new for c in changes})
        record = self.records[record_id]
        new = Record(entity, record_id, {**record.values, **typed})
        self.records[record_id] = new
        return new

    async def create(self, entity: str, values: Mapping[str, Any]) -> Record:
        self._maybe_fail()
        self.creates.append(dict(values))
        typed = (await self.validator(entity)).validate(values, creating=True)
        record_id = f"L-{len(self.records) + 1}"
        record = Record(entity, record_id, {"id": record_id, **typed})
        self.records[record_id] = record
        return record

    async def delete(self, entity: str, record_id: str) -> None:
        self._maybe_fail()
        self.deletes.append(record_id)
        self.records.pop(record_id, None)

    async def aclose(self) -> None:
        return None


def make_session(backend: Backend, mode: str = "confirm-writes") -> Session:
    """The fake session on `backend` with a profile in `mode` (checked by the profile model)."""
    return FakeSession(backend, FakeProfile(mode=cast(Mode, mode), label=None))


class Host(App[None]):
    """Pushes one screen over an empty base screen and keeps what it is dismissed with."""

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("base screen", id="base")

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)
