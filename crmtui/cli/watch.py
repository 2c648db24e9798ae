"""`crmtui watch ENTITY`: print records as they are created or updated, until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import sys

from crmtui.cli.context import session_from_args
from crmtui.model import EntitySpec, format_value
from crmtui.model.sanitize import dumps, inert
from crmtui.services.export import record_json
from crmtui.services.watch import DEFAULT_INTERVAL, Change, Watcher, parse_filters, summary


def _line(change: Change, spec: EntitySpec) -> str:
    at = format_value(change.at) if change.at else ""
    title = inert(change.record.title(spec))
    about = inert(summary(change.record, spec))
    return f"{at}  {change.kind:<7}  {change.record.id}  {title}" + (
        f"  ({about})" if about else ""
    )


async def _watch(args: argparse.Namespace) -> int:
    async with session_from_args(args) as session:
        backend = session.backend
        spec = await backend.entity(args.entity)
        watcher = Watcher(backend, spec.name, filters=parse_filters(args.where))
        await watcher.check()
        # On stderr whatever the format: the moment from which records count as new.
        print(
            f"watching {spec.label.lower()} on {session.profile.name} "
            f"(every {args.interval:g} s; Ctrl-C to stop)",
            file=sys.stderr,
            flush=True,
        )

        def show(changes: list[Change]) -> None:
            for change in changes:
                if args.format == "jsonl":
                    row = {"change": change.kind, **record_json(change.record)}
                    print(dumps(row), flush=True)
                else:
                    print(_line(change, spec), flush=True)

        def waiting(seconds: float, reason: str) -> None:
            print(f"rate limited: {inert(reason)}; waiting {seconds:,.0f} s", file=sys.stderr)

        await watcher.run(show, interval=args.interval, polls=args.polls, on_wait=waiting)
    return 0


def _run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_watch(args))
    except KeyboardInterrupt:
        return 130


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `watch`."""
    p = sub.add_parser(
        "watch", help="show records of an entity as they are created or updated (live)"
    )
    p.add_argument("entity")
    p.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL,
        help=f"seconds between polls (default {DEFAULT_INTERVAL:g})",
    )
    p.add_argument("--polls", type=int, default=None, help="stop after this many polls")
    p.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="FIELD=VALUE[,VALUE...]",
        help="only records holding one of these values (repeatable), e.g. "
        "emailAddress=ada@example.com,bob@example.com or eventSource=emailOpened",
    )
    p.add_argument("--format", choices=("text", "jsonl"), default="text")
    p.set_defaults(func=_run)
