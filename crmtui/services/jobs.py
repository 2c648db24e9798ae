"""Async vendor jobs: every RequestID kept in a local jobs file, polled within the rate budget.

The file (`state_path("jobs.json")`) is JSON, written atomically (temp file, fsync, rename) with
mode 0600 under an advisory lock, so the CLI and the TUI may share it and jobs survive a restart.
Each job keeps its profile, kind, creation time, the original request with secrets masked, and
its outcome: pending, succeeded or failed — failed either for good ("MX" errors) or with "vendor
retries", in which case it stays open and keeps being polled.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

from crmtui.backends.capabilities import Captures, TracksJobs
from crmtui.backends.spec import View
from crmtui.errors import CrmError, NotFound, RateLimited, UsageError
from crmtui.files import write_json_atomic
from crmtui.model.capture import CaptureRequest, CaptureResult, JobStatus
from crmtui.profiles.locations import state_path
from crmtui.services.session import Session

JOBS_FILE = "jobs.json"
Status = Literal["pending", "succeeded", "failed"]


@dataclass
class Job:
    """One async request and what the vendor last said about it."""

    request_id: str
    profile: str
    kind: str
    """What was sent: "opportunity" or "lead" (capture)."""
    created: float
    request: dict[str, Any]
    """The original request body, secrets masked."""
    status: Status = "pending"
    vendor_status: str = "In-Queue"
    message: str = ""
    """The vendor's message (or reason), as text."""
    final: bool = False
    checked: float | None = None
    checks: int = 0

    @property
    def open(self) -> bool:
        """Whether the job still needs polling (queued, or failed and retried by the vendor)."""
        return not self.final

    def outcome(self) -> str:
        """A short label: pending, succeeded, failed, or failed (vendor retries)."""
        if self.status == "failed" and not self.final:
            return "failed (vendor retries)"
        return self.status

    def apply(self, status: JobStatus, now: float) -> bool:
        """Take a status reading; True when something a user would see changed."""
        before = (self.status, self.vendor_status, self.message, self.final)
        self.status = status.outcome
        self.vendor_status = status.vendor_status
        self.message = status.message or status.reason
        self.final = status.final
        self.checked, self.checks = now, self.checks + 1
        return before != (self.status, self.vendor_status, self.message, self.final)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        """A job read from the file (unknown keys ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class JobsFile:
    """The jobs file: read, add and update jobs, safely shared between processes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else state_path(JOBS_FILE)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        lock = self.path.with_name(f".{self.path.name}.lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def load(self) -> list[Job]:
        """Every job, oldest first; an unreadable file is kept aside and reads as empty."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            items = json.loads(text)["jobs"]
            return [Job.from_dict(item) for item in items]
        except (ValueError, KeyError, TypeError):
            self.path.replace(self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}"))
            return []

    def _write(self, jobs: Sequence[Job]) -> None:
        write_json_atomic(self.path, {"jobs": [asdict(j) for j in jobs]}, indent=1)

    def save(self, changed: Sequence[Job]) -> None:
        """Add or replace `changed` jobs (by request id), keeping every other job."""
        with self._locked():
            jobs = {j.request_id: j for j in self.load()}
            jobs.update({j.request_id: j for j in changed})
            self._write(sorted(jobs.values(), key=lambda j: j.created))

    def for_profile(self, profile: str) -> list[Job]:
        """The jobs of one profile."""
        return [j for j in self.load() if j.profile == profile]


class JobPoller:
    """Checks a session's open jobs, a few per round, leaving most of the rate budget to the user.

    Each round checks at most a fifth of the vendor's window (at least one job), least recently
    checked first, and skips the round while the window is busier than that allows.
    `on_change(jobs)` is told about jobs whose status changed.
    """

    def __init__(
        self,
        session: Session,
        jobs: JobsFile | None = None,
        *,
        interval: float = 2.0,
        on_change: Callable[[list[Job]], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.session = session
        self.jobs = jobs if jobs is not None else JobsFile()
        self.interval = interval
        self.on_change = on_change
        self.last_error: str = ""
        self._sleep = sleep
        self._clock = clock

    def per_round(self) -> int:
        """How many status checks one round may make."""
        budget = self.session.budget()
        if budget.window_limit is None:
            return 5
        share = max(1, budget.window_limit // 5)
        return max(0, min(share, budget.window_limit - share - budget.window_used))

    async def poll_once(self) -> list[Job]:
        """Check the open jobs this round allows; returns those whose status changed."""
        backend = self.session.backend
        if not isinstance(backend, TracksJobs):
            return []
        due = [j for j in self.jobs.for_profile(self.session.profile.name) if j.open]
        due.sort(key=lambda j: j.checked or 0.0)
        changed: list[Job] = []
        checked: list[Job] = []
        self.last_error = ""
        for job in due[: self.per_round()]:
            try:
                status = await backend.job_status(job.kind, job.request_id)
            except NotFound:
                status = JobStatus("unknown", "failed", True, "the vendor has no such request")
            except (RateLimited, CrmError) as exc:
                self.last_error = exc.message
                break
            if job.apply(status, self._clock()):
                changed.append(job)
            checked.append(job)
        if checked:
            self.jobs.save(checked)
        if changed and self.on_change is not None:
            self.on_change(changed)
        return changed

    def pending(self) -> list[Job]:
        """This profile's open jobs."""
        return [j for j in self.jobs.for_profile(self.session.profile.name) if j.open]

    async def run(self, *, until_done: bool = False) -> None:
        """Poll every `interval` seconds; forever, or until no job of the profile is open."""
        while True:
            await self.poll_once()
            if until_done and not self.pending():
                return
            await self._sleep(self.interval)


async def capture(
    session: Session,
    request: CaptureRequest,
    *,
    asynchronous: bool | None = None,
    jobs: JobsFile | None = None,
) -> tuple[CaptureResult, Job | None]:
    """Capture an opportunity; an async capture's RequestID is recorded as a pending job."""
    backend = session.backend
    if not isinstance(backend, Captures):
        raise UsageError(f"{backend.label} has no {View.CAPTURE.value} view")
    from crmtui.services.edits import journaled_action
    from crmtui.services.write_policy import WritePath

    result: CaptureResult = await journaled_action(
        session,
        "lead",
        request.email,
        "capture",
        request.params(),
        lambda: backend.capture_opportunity(request, asynchronous=asynchronous),
        lambda r: f"request {r.request_id}" if r.request_id else (r.message or "captured"),
        path=WritePath.CAPTURE,
    )
    if not result.asynchronous or result.request_id is None:
        return result, None
    masked = json.loads(session.redactor.text(json.dumps(result.body)))
    job = Job(
        request_id=result.request_id,
        profile=session.profile.name,
        kind="opportunity",
        created=time.time(),
        request=masked,
    )
    (jobs if jobs is not None else JobsFile()).save([job])
    return result, job


__all__ = ["JOBS_FILE", "Job", "JobPoller", "JobsFile", "Status", "capture"]
