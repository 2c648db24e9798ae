"""A chaos run: random edits, creates, reads and remote changes through every fault, then the audit.

Each operation goes through the real services (journal, stale-write check, reconcile by reading)
on a sandbox whose fault switches are on, plus the network faults of `ChaosTransport`. After each
operation, every journal entry that became "applied" is checked against the sandbox store at once;
at the end the faults go off, the app "restarts" and the outbox is worked through. The figures:
operations, faults by type, retries, edits lost, duplicate creates, secrets leaked.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crmtui.errors import CrmError, PartialFailure, RateLimited, describe
from crmtui.http.log import LogEntry
from crmtui.model import Change
from crmtui.sandbox.chaos import (
    GATEWAY_AFTER,
    INVALID_JSON,
    TIMEOUT_AFTER,
    TIMEOUT_BEFORE,
    ChaosTransport,
)
from crmtui.sandbox.faults import Faults
from crmtui.sandbox.transport import in_process_transport
from crmtui.services import outbox
from crmtui.services.edits import EditConflict, create_record, journal_for, save_changes
from crmtui.services.journal import Entry, Op, State
from crmtui.services.session import Session

from .vendors import Rig, make_rig

NETWORK_RATES = {TIMEOUT_BEFORE: 0.02, TIMEOUT_AFTER: 0.03, GATEWAY_AFTER: 0.02, INVALID_JSON: 0.02}
SANDBOX_RATES: dict[str, Any] = {"error_rate": 0.03, "drop_rate": 0.03, "invalid_json_rate": 0.02}
WEIGHTS = {
    "update": 34, "create": 14, "read": 20, "remote change": 10, "outbox sweep": 8,
    "cancel mid-save": 4, "rate-limit burst": 4, "token expiry": 2, "batch": 4,
}  # fmt: skip
RESTART_EVERY = 150


@dataclass
class Report:
    """What one vendor's chaos run did and found."""

    vendor: str
    operations: int = 0
    ops: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    retries: int = 0
    outbox_retries: int = 0
    committed: int = 0
    applied: int = 0
    pending_end: Counter[str] = field(default_factory=Counter)
    lost: list[str] = field(default_factory=list)
    duplicates: int = 0
    leaked: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def fault_total(self) -> int:
        """Faults of every type."""
        return sum(self.faults.values())


class _Capture(logging.Handler):
    """Keeps every log record's formatted text (to search it for secrets)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.buffer = io.StringIO()

    def emit(self, record: logging.LogRecord) -> None:
        self.buffer.write(self.format(record) + "\n")


class ChaosRun:
    """One vendor's run; `await run(operations)` returns its Report."""

    def __init__(self, vendor: str, *, seed: int = 0, records: int = 300) -> None:
        self.faults = Faults(seed=seed, **SANDBOX_RATES)
        self.rig: Rig = make_rig(vendor, records=records, seed=seed, faults=self.faults)
        self.case = self.rig.case
        self.rng = random.Random(seed)
        self.chaos = ChaosTransport(
            in_process_transport(self.rig.app), rates=NETWORK_RATES, seed=seed + 1
        )
        self.report = Report(vendor)
        self.texts: list[str] = []  # every message the run showed, searched for secrets
        self.ids = [rid for rid, _ in self.rig.store.list(self.rig.ns, "lead", offset=0, limit=60)]
        self.created_emails: list[str] = []
        self.counter = 0
        self.session: Session | None = None

    # -- sessions ----------------------------------------------------------------------------
    async def _open(self) -> Session:
        session = await self.rig.open(self.chaos)
        session.log.subscribe(self._logged)
        return session

    def _logged(self, entry: LogEntry) -> None:
        self.report.requests += 1
        if entry.attempt > 1:
            self.report.retries += 1
        self.texts.append(repr(entry))

    async def restart(self) -> Session:
        """Drop the session (as a crash would) and open a new one from disk."""
        if self.session is not None:
            await self.session.aclose()
        self.session = await self._open()
        return self.session

    # -- the run -----------------------------------------------------------------------------
    async def run(self, operations: int) -> Report:
        """Run `operations` random operations, settle, audit; returns the report."""
        capture = _Capture()
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(capture)
        root.setLevel(logging.DEBUG)
        try:
            await self.restart()
            kinds = [k for k in WEIGHTS if self._supported(k)]
            weights = [WEIGHTS[k] for k in kinds]
            for number in range(operations):
                if number and number % RESTART_EVERY == 0:
                    await self.restart()
                    self.report.ops["crash and restart"] += 1
                kind = self.rng.choices(kinds, weights)[0]
                await self._step(kind)
            await self.settle()
            self.audit_end()
        finally:
            if self.session is not None:
                await self.session.aclose()
            root.removeHandler(capture)
            root.setLevel(old_level)
        self.texts.append(capture.buffer.getvalue())
        self.report.faults.update(self.chaos.faults)
        self.report.leaked = self.leaks(self.texts)
        return self.report

    def _supported(self, kind: str) -> bool:
        if kind == "batch":
            return self.case.batch
        if kind == "token expiry":
            return self.case.vendor == "cmdatamanager"
        return True

    async def _step(self, kind: str) -> None:
        self.report.operations += 1
        self.report.ops[kind] += 1
        before = {e.id: e.state for e in self._journal()}
        try:
            await getattr(self, "_" + kind.replace(" ", "_").replace("-", "_"))()
        except EditConflict as exc:
            self._error(exc)
        except CrmError as exc:
            self._error(exc)
        self._check_applied(before)

    def _error(self, exc: CrmError) -> None:
        info = describe(exc)
        self.report.errors[info.title] += 1
        self.texts.append(f"{info.title}: {info.message} {exc!r} {exc}")
        if isinstance(exc, RateLimited) and exc.retry_after:
            self.rig.time.slept += exc.retry_after + 1.0  # the user waits as told, then goes on

    def _journal(self) -> list[Entry]:
        assert self.session is not None
        return journal_for(self.session).entries()

    # -- operations --------------------------------------------------------------------------
    def _value(self) -> str:
        self.counter += 1
        return f"Chaos{self.counter}"

    async def _update(self) -> None:
        session = self.session
        assert session is not None
        field_name = self.rng.choice(self.case.edit_fields)
        if not self.case.updates:  # an upsert of a known lead with a new value
            email = self._known_email()
            await create_record(
                session, "lead", {self.case.email: email, field_name: self._value()}
            )
            return
        record_id = self.rng.choice(self.ids)
        loaded = await session.backend.get("lead", record_id)
        if self.rng.random() < 0.3:  # someone changes it while the form is open
            self._remote(record_id, self.rng.choice(self.case.edit_fields))
        change = Change(field_name, loaded.values.get(field_name), self._value())
        await save_changes(session, "lead", record_id, [change])

    def _known_email(self) -> str:
        rid = self.rng.choice(self.ids)
        data = self.rig.store.get(self.rig.ns, "lead", rid) or {}
        return str(data.get(self.case.email) or rid)

    async def _create(self) -> None:
        assert self.session is not None
        self.counter += 1
        email = f"chaos{self.counter}.{self.case.vendor[:3]}@example.test"
        self.created_emails.append(email)
        values = {
            self.case.email: email,
            self.case.edit_fields[0]: "Chaos",
            self.case.edit_fields[1]: f"Made{self.counter}",
        }
        record = await create_record(self.session, "lead", values)
        if self.case.updates:
            self.ids.append(record.id)

    async def _read(self) -> None:
        assert self.session is not None
        backend = self.session.backend
        if not self.case.updates:
            await backend.list_page("group", _query(), 0, 50)
        elif self.rng.random() < 0.5:
            await backend.get("lead", self.rng.choice(self.ids))
        else:
            await backend.list_page("lead", _query(), self.rng.randrange(0, 200), 25)

    def _remote(self, record_id: str, field_name: str) -> None:
        store, ns = self.rig.store, self.rig.ns
        data = store.get(ns, "lead", record_id)
        if data is not None:
            data[field_name] = f"Remote{self._value()}"
            store.update(ns, "lead", record_id, data)

    async def _remote_change(self) -> None:
        ids = (
            self.ids if self.case.updates else [e.lower() for e in self.created_emails] or self.ids
        )
        self._remote(self.rng.choice(ids), self.rng.choice(self.case.edit_fields))

    async def _outbox_sweep(self) -> None:
        assert self.session is not None
        for entry in journal_for(self.session).pending()[:5]:
            await self._settle_one(entry)

    async def _settle_one(self, entry: Entry) -> None:
        session = self.session
        assert session is not None
        self.report.outbox_retries += 1
        try:
            if entry.state is State.CONFLICT:
                await outbox.resolve(session, entry.id, dict.fromkeys(entry.theirs, "mine"))
            elif entry.state is not State.FAILED:
                await outbox.retry(session, entry.id)
        except CrmError as exc:
            self._error(exc)

    async def _cancel_mid_save(self) -> None:
        """A save interrupted partway (the closest in-process stand-in for a kill)."""
        task = asyncio.create_task(self._update() if self.case.updates else self._create())
        await asyncio.sleep(0)  # started, so it is cancelled inside, not before
        for _ in range(self.rng.randrange(1, 12)):
            await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await self.restart()

    async def _rate_limit_burst(self) -> None:
        switches = getattr(self.rig.app.state, "switches", None)
        if switches is not None:  # LeadSquared: half the time its limit comes inside a 200
            switches.rate_limit_in_body = self.rng.random() < 0.5
        self.faults.rate_limit_exhausted = True
        try:
            await (self._update() if self.case.updates else self._create())
        finally:
            self.faults.rate_limit_exhausted = False
            if switches is not None:
                switches.rate_limit_in_body = False

    async def _token_expiry(self) -> None:
        self.faults.expire_tokens()
        await self._read()

    async def _batch(self) -> None:
        """updateLeadsV2 with one bad id among good ones: per-object results."""
        assert self.session is not None
        backend: Any = self.session.backend
        picked = self.rng.sample(self.ids, 3)
        updates = [(rid, [Change(self.case.edit_fields[2], None, self._value())]) for rid in picked]
        updates.append(("999999999", [Change(self.case.edit_fields[2], None, "Nobody")]))
        try:
            await backend.update_many("lead", updates)
        except PartialFailure as exc:
            self.report.ops["batch: partial failures seen"] += 1
            self.texts.append(str(exc))

    # -- settling and auditing ---------------------------------------------------------------
    async def settle(self) -> None:
        """Faults off, a restart, then every pending write retried (conflicts: keep mine)."""
        for name in SANDBOX_RATES:
            setattr(self.faults, name, 0.0)
        self.faults.rate_limit_exhausted = False
        self.chaos.enabled = False
        await self.restart()
        for _ in range(3):
            before = {e.id: e.state for e in self._journal()}
            for entry in journal_for(self._session()).pending():
                await self._settle_one(entry)
            self._check_applied(before)

    def _session(self) -> Session:
        assert self.session is not None
        return self.session

    def _check_applied(self, before: dict[str, State]) -> None:
        """Every entry that became applied just now must be in the store (a later one may win)."""
        entries = self._journal()
        fresh = [
            e for e in entries if e.state is State.APPLIED and before.get(e.id) != State.APPLIED
        ]
        fresh.sort(key=lambda e: e.updated)
        for index, entry in enumerate(fresh):
            later = fresh[index + 1 :]
            if not self._landed(entry, later):
                self.report.lost.append(f"{entry.id} {entry.summary()}")

    def _landed(self, entry: Entry, later: Iterable[Entry]) -> bool:
        store, ns = self.rig.store, self.rig.ns
        if entry.op is Op.CREATE and self.case.updates:
            data = store.get(ns, "lead", entry.record_id or "")
        elif entry.op is Op.CREATE:
            data = store.get(ns, "lead", str(entry.mine()[self.case.email]).lower())
        else:
            data = store.get(ns, "lead", entry.record_id or "")
        if data is None:
            return False
        overwritten = {
            c["field"] for e in later if _same_record(e, entry, self.case.email) for c in e.changes
        }
        for name, value in entry.mine().items():
            if name in overwritten or name == self.case.email:
                continue
            if str(data.get(name) or "") != str(value or ""):
                return False
        return True

    def audit_end(self) -> None:
        """Committed, applied, pending by state; duplicates by email."""
        entries = self._journal()
        self.report.committed = len(entries)
        self.report.applied = sum(1 for e in entries if e.state is State.APPLIED)
        self.report.pending_end.update(e.shown_state for e in entries if e.pending)
        counts: Counter[str] = Counter()
        mine = {e.lower() for e in self.created_emails}
        for _, data in self.rig.store.list(self.rig.ns, "lead", offset=0, limit=1_000_000):
            email = str(data.get(self.case.email) or "").lower()
            if email in mine:
                counts[email] += 1
        self.report.duplicates = sum(n - 1 for n in counts.values() if n > 1)
        journal_text = journal_for(self._session()).path.read_text(encoding="utf-8")
        self.texts.append(journal_text)

    def leaks(self, texts: Iterable[str]) -> list[str]:
        """Which canary secrets appear in any of `texts`."""
        joined = "\n".join(texts)
        return [key for key, value in self.rig.canary.items() if value in joined]


def _same_record(a: Entry, b: Entry, email: str) -> bool:
    if a.record_id and b.record_id:
        return a.record_id == b.record_id
    return str(a.mine().get(email, "")).lower() == str(b.mine().get(email, "")).lower()


def _query() -> Any:
    from crmtui.model import Query

    return Query()


async def run_chaos(vendor: str, operations: int, *, seed: int = 0, records: int = 300) -> Report:
    """One vendor's chaos run of `operations` operations."""
    return await ChaosRun(vendor, seed=seed, records=records).run(operations)


def table(reports: Iterable[Report]) -> str:
    """The figures as a plain text table."""
    reports = list(reports)
    lines = [
        f"{'vendor':<15}{'ops':>6}{'requests':>9}{'faults':>7}{'retries':>8}{'outbox':>7}"
        f"{'edits':>6}{'pending':>8}{'lost':>5}{'dupes':>6}{'leaked':>7}"
    ]
    for r in reports:
        lines.append(
            f"{r.vendor:<15}{r.operations:>6}{r.requests:>9}{r.fault_total:>7}{r.retries:>8}"
            f"{r.outbox_retries:>7}{r.committed:>6}{sum(r.pending_end.values()):>8}"
            f"{len(r.lost):>5}{r.duplicates:>6}{len(r.leaked):>7}"
        )
    for r in reports:
        faults = ", ".join(f"{k} {v}" for k, v in sorted(r.faults.items()))
        pending = ", ".join(f"{k} {v}" for k, v in sorted(r.pending_end.items())) or "none"
        lines.append(f"\n{r.vendor}: faults by type: {faults}")
        lines.append(
            f"{r.vendor}: still pending after the settle (visible in the outbox): {pending}"
        )
        errors = ", ".join(f"{k} {v}" for k, v in r.errors.most_common(8))
        lines.append(f"{r.vendor}: errors the user saw: {errors}")
        for item in r.lost[:10]:
            lines.append(f"{r.vendor}: LOST {item}")
    return "\n".join(lines)
