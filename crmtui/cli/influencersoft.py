"""InfluencerSoft commands: `upsert lead EMAIL field=value ...`, `groups` and `sent`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from crmtui.backends.influencersoft.backend import InfluencerSoftBackend, split_names
from crmtui.backends.influencersoft.fields import LEAD_FIELD_NAMES
from crmtui.cli.context import confirm_write, session_from_args
from crmtui.errors import UsageError, ValidationFailed
from crmtui.model.sanitize import dumps, inert
from crmtui.model.validation import unknown_field_message
from crmtui.services import edits, sent
from crmtui.services.edits import check_writable
from crmtui.services.session import Session

Handler = Callable[[Session, InfluencerSoftBackend, argparse.Namespace], Awaitable[int]]


def _runner(handler: Handler) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        async def go() -> int:
            async with session_from_args(args) as session:
                backend = session.backend
                if not isinstance(backend, InfluencerSoftBackend):
                    raise UsageError(
                        f"`{args.command}` is for InfluencerSoft profiles; profile "
                        f"{session.profile.name!r} is {backend.label} (use create/update)"
                    )
                sent.track(session)
                return await handler(session, backend, args)

        return asyncio.run(go())

    return run


def lead_values(email: str, pairs: list[str]) -> dict[str, str]:
    """`field=value` pairs as lead fields; `first_name` means `lead_first_name`."""
    values = {"lead_email": email}
    for item in pairs:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"expected field=value, not {item!r}")
        full = name if name in LEAD_FIELD_NAMES else f"lead_{name}"
        if full not in LEAD_FIELD_NAMES:
            known = {n.removeprefix("lead_"): n for n in LEAD_FIELD_NAMES}
            raise ValidationFailed({name: unknown_field_message(name, known)})
        values[full] = value
    return values


async def _upsert(session: Session, backend: InfluencerSoftBackend, args: Any) -> int:
    if args.entity != "lead":
        raise UsageError(f"InfluencerSoft can only upsert leads, not {args.entity!r}")
    check_writable(session)
    values = lead_values(args.email, args.values)
    lists = {
        "add_tags": split_names(args.add_tags),
        "remove_tags": split_names(args.remove_tags),
        "add_to_lists": split_names(args.add_lists),
        "remove_from_lists": split_names(args.remove_lists),
    }
    lines = [f"  {k} = {v}" for k, v in values.items()]
    lines += [f"  {k} = {', '.join(v)}" for k, v in lists.items() if v]
    confirm_write(
        session, args, inert("add or update lead:\n" + "\n".join(lines), keep_newlines=True)
    )
    # Through the journal like every write: on disk before it is sent, kept if it fails.
    wanted = {**values, **{k: ",".join(v) for k, v in lists.items() if v}}
    record = await edits.create_record(session, "lead", wanted)
    if args.format == "json":
        print(dumps({"email": record.id, **record.values}, indent=2))
    else:
        print(inert(f"sent lead {record.id}: InfluencerSoft answered OK"))
    return 0


async def _groups(session: Session, backend: InfluencerSoftBackend, args: Any) -> int:
    groups = await backend.groups()
    if args.format == "json":
        rows = [{"id": g.id, "title": g.title} for g in groups]
        print(dumps(rows, indent=2))
        return 0
    for group in groups:
        print(inert(f"{group.id:<24} {group.title}"))
    return 0


def _when(stamp: float) -> str:
    return dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M:%S")


async def _sent(session: Session, backend: InfluencerSoftBackend, args: Any) -> int:
    history = sent.track(session)
    entries = history.entries()[: args.limit] if history is not None else []
    if args.format == "json":
        print(dumps([e.to_dict() for e in entries], indent=2))
        return 0
    if not entries:
        print(f"nothing sent through profile {session.profile.name!r} yet")
        return 0
    for entry in entries:
        code = "no answer" if entry.code is None else f"code {entry.code}"
        outcome = "OK" if entry.ok else f"FAILED ({code}: {entry.text})"
        print(inert(f"{_when(entry.at)}  {entry.method:<18} {entry.email or '-':<32} {outcome}"))
        details = ", ".join(f"{k}={v}" for k, v in entry.sent.items() if k != "lead_email")
        if details and args.verbose:
            print(inert(f"    {details}"))
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `upsert`, `groups` and `sent`."""
    p = sub.add_parser("upsert", help="InfluencerSoft: add or update a lead by email")
    p.add_argument("entity", choices=("lead",))
    p.add_argument("email")
    p.add_argument("values", nargs="*", metavar="field=value", help="e.g. first_name=Ada")
    for flag, what in (
        ("--add-tags", "tags to add"),
        ("--remove-tags", "tags to remove"),
        ("--add-lists", "groups (by name) to add the lead to"),
        ("--remove-lists", "groups (by name) to remove the lead from"),
    ):
        p.add_argument(flag, default="", metavar="A,B", help=f"{what}, comma-separated")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask (confirm-writes)")
    p.set_defaults(func=_runner(_upsert))

    p = sub.add_parser("groups", help="InfluencerSoft: the account's groups (lists)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=_runner(_groups))

    p = sub.add_parser("sent", help="InfluencerSoft: what crmtui sent and the answers")
    p.add_argument("--limit", type=int, default=50, help="newest N entries (default 50)")
    p.add_argument("-v", "--verbose", action="store_true", help="show the values sent")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=_runner(_sent))
