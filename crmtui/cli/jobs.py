"""Async jobs and opportunity captures: `crmtui jobs [--watch]`, `crmtui capture lead EMAIL ...`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict

from crmtui.backends.capabilities import Captures, TracksJobs
from crmtui.cli.context import confirm_write, session_from_args
from crmtui.errors import UsageError
from crmtui.model.capture import CaptureRequest
from crmtui.model.sanitize import dumps, inert
from crmtui.services.jobs import Job, JobPoller, JobsFile, capture
from crmtui.services.write_policy import WritePath


def _when(stamp: float) -> str:
    return dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M:%S")


def print_jobs(jobs: Sequence[Job], *, format: str = "table") -> None:
    """Jobs as a table (vendor text made inert) or as JSON."""
    if format == "json":
        print(dumps([asdict(j) for j in jobs], indent=2))
        return
    if not jobs:
        print("no async jobs")
        return
    for job in jobs:
        line = (
            f"{_when(job.created)}  {inert(job.profile):<18} {job.request_id}  "
            f"{job.kind:<11} {job.outcome():<23} {inert(job.vendor_status)}"
        )
        print(line)
        if job.message:
            print(f"    {inert(job.message)[:300]}")


async def _jobs(args: argparse.Namespace) -> int:
    store = JobsFile()
    if args.offline:
        print_jobs(store.load(), format=args.format)
        return 0
    async with session_from_args(args) as session:
        name = session.profile.name
        if not isinstance(session.backend, TracksJobs):
            print(f"{session.backend.label} has no async jobs to check", file=sys.stderr)
        else:

            def changed(jobs: list[Job]) -> None:
                if args.watch:
                    for job in jobs:
                        message = inert(job.message)[:200]
                        print(f"{job.request_id}: {job.outcome()} {message}".rstrip(), flush=True)

            poller = JobPoller(session, store, interval=args.interval, on_change=changed)
            if args.watch:
                await poller.run(until_done=True)
            else:
                await poller.poll_once()
            if poller.last_error:
                print(f"warning: {inert(poller.last_error)}", file=sys.stderr)
        print_jobs(store.for_profile(name), format=args.format)
    return 0


def _fields(items: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"expected SchemaName=value, not {item!r}")
        values[name.strip()] = value
    return values


async def _capture(args: argparse.Namespace) -> int:
    when = None
    if args.date:
        try:
            when = dt.datetime.strptime(args.date.strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise UsageError(f"--date must be yyyy-mm-dd hh:mm:ss, not {args.date!r}") from None
    request = CaptureRequest(
        args.email, args.event_code, note=args.note, when=when, fields=_fields(args.field)
    )
    request.check()  # refuse a form that cannot be sent before asking anything
    async with session_from_args(args) as session:
        asynchronous = args.asynchronous
        backend = session.backend
        if asynchronous is None:
            asynchronous = isinstance(backend, Captures) and backend.capture_async_default()
        how = "async" if asynchronous else "sync"
        confirm_write(
            session,
            args,
            WritePath.CAPTURE,
            inert(f"capture opportunity {args.event_code} for {args.email} ({how})"),
        )
        result, job = await capture(session, request, asynchronous=asynchronous)
        if job is not None:
            print(job.request_id)
            print(
                f"accepted; follow it with: crmtui -p {session.profile.name} jobs --watch",
                file=sys.stderr,
            )
        else:
            print(f"opportunity {inert(result.opportunity_id or '?')} on lead "
                  f"{inert(result.lead_id or '?')}")  # fmt: skip
    return 0


def _run(
    handler: Callable[[argparse.Namespace], Awaitable[int]],
) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        return asyncio.run(handler(args))  # type: ignore[arg-type]

    return run


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `jobs` and `capture`."""
    p = sub.add_parser("jobs", help="async vendor jobs: pending, succeeded, failed")
    p.add_argument("--watch", action="store_true", help="keep checking until none is pending")
    p.add_argument("--offline", action="store_true", help="show every job without asking")
    p.add_argument("--interval", type=float, default=2.0, help="seconds between checks")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=_run(_jobs))

    p = sub.add_parser("capture", help="capture an opportunity from a lead (vendors with captures)")
    p.add_argument("entity", choices=("lead",))
    p.add_argument("email", help="the lead's email address (created if unknown)")
    p.add_argument("--event-code", type=int, required=True, help="the opportunity type's code")
    p.add_argument("--note", default="", help="the opportunity note")
    p.add_argument("--date", help="yyyy-mm-dd hh:mm:ss (default: now)")
    p.add_argument(
        "--field", action="append", default=[], metavar="mx_X=VALUE", help="opportunity field"
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--async", dest="asynchronous", action="store_true", default=None)
    mode.add_argument("--sync", dest="asynchronous", action="store_false")
    p.add_argument("-y", "--yes", action="store_true", help="yes to the write prompt")
    p.set_defaults(func=_run(_capture))
