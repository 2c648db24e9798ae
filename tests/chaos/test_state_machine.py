"""Hypothesis state machine: edit, save, fault, crash and restart, remote change, resolve.

The invariant, checked after every step: each committed (journaled) edit is either applied — and
then it really is in the sandbox store at the moment it became applied — or visible as pending
(queued, in flight, failed, conflict, unknown) in the journal a restarted session reads. A crash
drops the in-memory session and its unsaved drafts and reopens from disk; a remote change edits
the record in the sandbox store directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Coroutine
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from crmtui.errors import CrmError, RateLimited
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
from crmtui.services.edits import journal_for, save_changes
from crmtui.services.journal import Entry, Journal, State
from crmtui.services.session import Session

from .vendors import make_rig

FIELDS = ("FirstName", "LastName", "City")
RECORDS = 4
FAULTS = (
    "none", TIMEOUT_BEFORE, TIMEOUT_AFTER, GATEWAY_AFTER, INVALID_JSON,
    "html 500", "dropped connection", "truncated JSON", "rate limit", "token expiry",
)  # fmt: skip
values = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)


class EditMachine(RuleBasedStateMachine):
    """One CMDataManager sandbox, one profile's journal, sessions that come and go."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.faults = Faults(seed=0)
        self.rig = make_rig("cmdatamanager", records=20, seed=1, faults=self.faults)
        self.rig.profile_name = f"sm-{uuid.uuid4().hex[:10]}"  # a fresh journal per example
        self.chaos = ChaosTransport(in_process_transport(self.rig.app))
        self.ids = [
            r for r, _ in self.rig.store.list("cmdatamanager", "lead", offset=0, limit=RECORDS)
        ]
        self.session: Session | None = self._run(self.rig.open(self.chaos))
        self.drafts: list[tuple[str, str, str]] = []  # (record, field, value): not saved yet
        self.states: dict[str, State] = {}
        self.wrong: list[str] = []
        self.armed: tuple[str, float] = ("none", 0.0)

    def _run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(coro)

    def _journal(self) -> Journal:
        assert self.session is not None
        return journal_for(self.session)

    def _send(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run a save or a retry under the armed fault, then disarm it."""
        self._arm()
        try:
            self._run(coro)
        except CrmError as exc:
            if isinstance(exc, RateLimited) and exc.retry_after:
                self.rig.time.slept += exc.retry_after + 1.0  # wait as told
        finally:
            self.chaos.rates = {}
            self.faults.apply({"error_rate": 0, "drop_rate": 0, "invalid_json_rate": 0})
            self.faults.rate_limit_exhausted = False
        self._check_new_applied()

    # -- rules -------------------------------------------------------------------------------
    @rule(record=st.integers(0, RECORDS - 1), field=st.sampled_from(FIELDS), value=values)
    def edit(self, record: int, field: str, value: str) -> None:
        """Type a new value into the form (not saved yet)."""
        self.drafts.append((self.ids[record], field, value))

    @precondition(lambda self: bool(self.drafts))
    @rule(checked_in_form=st.booleans())
    def save(self, checked_in_form: bool) -> None:
        """Save the oldest draft through save_changes (journaled, then checked and sent).

        The record is loaded before the fault is armed (a load that fails commits nothing);
        `checked_in_form` passes it as the current server state, as a form that just re-read it.
        """
        record_id, field, value = self.drafts.pop(0)
        assert self.session is not None
        session = self.session
        try:
            loaded = self._run(session.backend.get("lead", record_id))
        except CrmError:
            return
        change = Change(field, loaded.values.get(field), value)
        current = loaded if checked_in_form else None
        self._send(save_changes(session, "lead", record_id, [change], current=current))

    @rule(kind=st.sampled_from(FAULTS), rate=st.sampled_from([0.3, 0.6, 1.0]))
    def fault(self, kind: str, rate: float) -> None:
        """Arm one fault (at `rate` per request) for the next save, retry or resolve."""
        self.armed = (kind, rate)

    def _arm(self) -> None:
        kind, rate = self.armed
        if kind in (TIMEOUT_BEFORE, TIMEOUT_AFTER, GATEWAY_AFTER, INVALID_JSON):
            self.chaos.rates = {kind: rate}
        elif kind == "html 500":
            self.faults.error_rate = rate
        elif kind == "dropped connection":
            self.faults.drop_rate = rate
        elif kind == "truncated JSON":
            self.faults.invalid_json_rate = rate
        elif kind == "rate limit":
            self.faults.rate_limit_exhausted = True
        elif kind == "token expiry":
            self.faults.expire_tokens()
        self.armed = ("none", 0.0)

    @rule(steps=st.integers(0, 30), mid_save=st.booleans())
    def crash_and_restart(self, steps: int, mid_save: bool) -> None:
        """Drop the session (and the unsaved drafts), maybe in the middle of a save; reopen."""
        assert self.session is not None
        if mid_save and self.drafts:
            record_id, field, value = self.drafts[0]
            session = self.session

            async def save_then_die() -> None:
                loaded = await session.backend.get("lead", record_id)
                change = Change(field, loaded.values.get(field), value)
                task = asyncio.create_task(save_changes(session, "lead", record_id, [change]))
                await asyncio.sleep(0)
                for _ in range(steps):
                    await asyncio.sleep(0)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, CrmError):
                    await task

            self._send(save_then_die())
        self._run(self.session.aclose())
        self.drafts.clear()
        self.session = self._run(self.rig.open(self.chaos))

    @rule(record=st.integers(0, RECORDS - 1), field=st.sampled_from(FIELDS), value=values)
    def remote_change(self, record: int, field: str, value: str) -> None:
        """Someone else changes the record on the server."""
        store = self.rig.store
        data = store.get("cmdatamanager", "lead", self.ids[record])
        assert data is not None
        data[field] = value
        store.update("cmdatamanager", "lead", self.ids[record], data)

    @precondition(lambda self: bool(self._journal().pending()))
    @rule(pick=st.integers(0, 50), keep_mine=st.booleans())
    def resolve(self, pick: int, keep_mine: bool) -> None:
        """Work one outbox entry: settle a conflict (mine or theirs) or retry it."""
        pending = self._journal().pending()
        entry = pending[pick % len(pending)]
        assert self.session is not None
        if entry.state is State.CONFLICT:
            choice = "mine" if keep_mine else "theirs"
            choices: dict[str, Any] = dict.fromkeys(entry.theirs, choice)
            self._send(outbox.resolve(self.session, entry.id, choices))
        elif entry.state is not State.FAILED:
            self._send(outbox.retry(self.session, entry.id))

    # -- the invariant -----------------------------------------------------------------------
    def _check_new_applied(self) -> None:
        entries = self._journal().entries()
        fresh = [
            e
            for e in entries
            if e.state is State.APPLIED and self.states.get(e.id) != State.APPLIED
        ]
        fresh.sort(key=lambda e: e.updated)
        for index, entry in enumerate(fresh):
            later = {
                c["field"]
                for e in fresh[index + 1 :]
                if e.record_id == entry.record_id
                for c in e.changes
            }
            if not self._in_store(entry, later):
                self.wrong.append(f"applied but not in the store: {entry.summary()}")
        self.states = {e.id: e.state for e in entries}

    def _in_store(self, entry: Entry, overwritten: set[str]) -> bool:
        data = self.rig.store.get("cmdatamanager", "lead", entry.record_id or "") or {}
        return all(
            str(data.get(name) or "") == str(value or "")
            for name, value in entry.mine().items()
            if name not in overwritten
        )

    @invariant()
    def every_committed_edit_is_applied_or_pending(self) -> None:
        """No committed edit vanished: each journal entry is applied (and was, in the store) or
        is listed as pending by a fresh look at the journal on disk."""
        self._check_new_applied()
        assert not self.wrong, self.wrong
        on_disk = Journal(self.rig.profile_name).entries()
        assert {e.id for e in on_disk} >= set(self.states)  # nothing committed disappeared
        for entry in on_disk:
            assert entry.state is State.APPLIED or entry.pending, entry.summary()
            if entry.state is not State.APPLIED:
                assert entry.shown_state in {
                    "queued", "in flight", "interrupted", "failed", "conflict", "unknown",
                }, entry.summary()  # fmt: skip

    def teardown(self) -> None:
        """Close the session and the loop."""
        if self.session is not None:
            self._run(self.session.aclose())
        self.loop.close()


EditMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TestEditMachine = EditMachine.TestCase


# -- the machine can fail: two broken journals it must catch -------------------------------------
SABOTAGE = settings(
    max_examples=200,
    stateful_step_count=40,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def test_the_machine_catches_an_update_marked_applied_but_never_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from crmtui.services import edits

    async def lying(session: Session, journal: Journal, entry: Entry, **_: Any) -> Any:
        journal.save(entry, state=State.APPLIED)
        return await session.backend.get(entry.entity, entry.record_id or "")

    monkeypatch.setattr(edits, "apply_update", lying)
    monkeypatch.setattr(outbox, "apply_update", lying)
    with pytest.raises(AssertionError, match="applied but not in the store"):
        run_state_machine_as_test(EditMachine, settings=SABOTAGE)


def test_the_machine_catches_a_journal_that_drops_a_failed_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from crmtui.services import journal_store

    real = journal_store.append

    def forgetful(path: Any, item: dict[str, Any]) -> None:
        if item.get("state") in ("unknown", "queued") and item.get("attempts", 0) > 0:
            item = {**item, "state": "discarded"}
        real(path, item)

    monkeypatch.setattr(journal_store, "append", forgetful)
    with pytest.raises(AssertionError, match="discarded"):
        run_state_machine_as_test(EditMachine, settings=SABOTAGE)
