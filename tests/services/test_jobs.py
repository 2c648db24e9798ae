"""The local jobs file and its poller: async captures are kept, polled, and survive a restart."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from crmtui.backends.leadsquared.capture import CaptureRequest
from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.sandbox.leadsquared.app import DEFAULT_KEYS, create_app, sandbox_profile
from crmtui.sandbox.leadsquared.async_api import Switches
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.jobs import JobPoller, JobsFile, capture
from crmtui.services.session import Session, open_session

START = 1_800_000_000.0
BASE = "https://lsq.invalid"


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


def profile() -> LeadSquaredProfile:
    return LeadSquaredProfile.model_validate(
        {"name": "lsq", "vendor": "leadsquared", "base_url": BASE, **sandbox_profile(BASE)}
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def switches() -> Switches:
    return Switches()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "lsq.sqlite3"


@pytest.fixture
def app(store_path: Path, clock: Clock, switches: Switches) -> Starlette:
    return create_app(Store(store_path), records=50, seed=1, clock=clock, switches=switches)


@pytest.fixture
async def session(app: Starlette) -> AsyncIterator[Session]:
    s = await open_session(profile(), transport=in_process_transport(app))
    yield s
    await s.aclose()


async def test_async_capture_is_recorded_with_a_masked_request(session: Session) -> None:
    result, job = await capture(session, CaptureRequest("p@example.com", 12231, note="hi"))
    assert result.asynchronous and job is not None
    path = JobsFile().path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text()
    assert DEFAULT_KEYS.secret_key not in text and DEFAULT_KEYS.api_key not in text
    saved = JobsFile().load()
    assert [(j.request_id, j.profile, j.status, j.kind) for j in saved] == [
        (job.request_id, "lsq", "pending", "opportunity")
    ]
    assert saved[0].request["Opportunity"]["OpportunityNote"] == "hi"


async def test_sync_capture_records_no_job(session: Session) -> None:
    result, job = await capture(session, CaptureRequest("q@example.com", 12231), asynchronous=False)
    assert job is None and result.opportunity_id
    assert JobsFile().load() == []


async def test_poller_turns_jobs_to_success_and_mx_failures_are_final(
    session: Session, clock: Clock
) -> None:
    _, good = await capture(session, CaptureRequest("g@example.com", 12231))
    _, bad = await capture(session, CaptureRequest("b@example.com", 1))
    seen: list[str] = []
    poller = JobPoller(session, on_change=lambda jobs: seen.extend(j.outcome() for j in jobs))
    assert await poller.poll_once() == []  # still In-Queue: nothing changed
    clock.now += 4
    await poller.poll_once()
    jobs = {j.request_id: j for j in JobsFile().load()}
    assert good is not None and bad is not None
    assert jobs[good.request_id].outcome() == "succeeded"
    failed = jobs[bad.request_id]
    assert failed.outcome() == "failed" and failed.final
    assert "MXInvalidInputException" in failed.message
    assert sorted(seen) == ["failed", "succeeded"]
    assert poller.pending() == []


async def test_non_mx_failures_show_that_the_vendor_retries(
    session: Session, clock: Clock, switches: Switches
) -> None:
    switches.async_transient_failures = 1
    await capture(session, CaptureRequest("r@example.com", 12231))
    poller = JobPoller(session)
    clock.now += 4
    await poller.poll_once()
    (saved,) = JobsFile().load()
    assert saved.outcome() == "failed (vendor retries)" and saved.open
    assert "retried" in saved.message
    clock.now += 4
    await poller.poll_once()
    assert JobsFile().load()[0].outcome() == "succeeded"


async def test_poller_keeps_most_of_the_rate_window_free(session: Session) -> None:
    poller = JobPoller(session)
    assert poller.per_round() == 5  # a fifth of 25 calls per 5 s
    for i in range(8):
        await capture(session, CaptureRequest(f"n{i}@example.com", 12231))
    before = len(session.log.entries)
    await poller.poll_once()
    assert len(session.log.entries) - before <= 5


def test_an_unreadable_jobs_file_is_kept_aside(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    path = folder / "jobs.json"
    path.write_text("{not json")
    assert JobsFile(path).load() == []
    assert [p.name.startswith("jobs.json.corrupt-") for p in folder.iterdir()] == [True]


CHILD = """
import asyncio, json, sys
from crmtui.sandbox.leadsquared.app import create_app, sandbox_profile
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.services.jobs import JobPoller, JobsFile
from crmtui.services.session import open_session

async def main():
    app = create_app(Store(sys.argv[1]), clock=lambda: float(sys.argv[2]))
    base = "https://lsq.invalid"
    profile = LeadSquaredProfile.model_validate(
        {"name": "lsq", "vendor": "leadsquared", "base_url": base, **sandbox_profile(base)}
    )
    session = await open_session(profile, transport=in_process_transport(app))
    await JobPoller(session).poll_once()
    await session.aclose()
    print(json.dumps([j.outcome() for j in JobsFile().load()]))

asyncio.run(main())
"""


async def test_jobs_survive_a_restart_and_a_new_process_polls_them(
    session: Session, store_path: Path
) -> None:
    await capture(session, CaptureRequest("restart@example.com", 12231))
    await session.aclose()
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(store_path), str(START + 10)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["succeeded"]


async def test_every_capture_is_journaled_and_a_lost_answer_stays_unknown(
    session: Session, app: Starlette
) -> None:
    from crmtui.errors import UnknownOutcome
    from crmtui.services.journal import Journal, Op, State

    await capture(session, CaptureRequest("j@example.com", 12231, note="journaled"))
    app.state.faults.drop_rate = 1.0  # processed, then the connection drops
    with pytest.raises(UnknownOutcome):
        await capture(session, CaptureRequest("k@example.com", 12231), asynchronous=False)
    entries = Journal("lsq").entries()
    assert [(e.op, e.action, e.record_id, e.state) for e in entries] == [
        (Op.ACTION, "capture", "j@example.com", State.APPLIED),
        (Op.ACTION, "capture", "k@example.com", State.UNKNOWN),
    ]
    assert entries[0].params["note"] == "journaled"


async def test_capture_is_also_a_record_action(session: Session) -> None:
    from crmtui.services.edits import run_action

    actions = await session.backend.actions("lead")
    assert actions[0].name == "capture"  # convert (a visitor) follows
    message = await run_action(session, "lead", "m@example.com", "capture", {"event_code": 12231})
    assert message.startswith("captured opportunity")
