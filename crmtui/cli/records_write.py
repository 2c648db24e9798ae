"""The record write commands (create, update, delete, action), and a record as they print it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crmtui.cli.context import confirm_write, field_values, with_session
from crmtui.errors import UsageError
from crmtui.model import ChangeSet, Record, diff, format_value
from crmtui.model.sanitize import dumps, inert
from crmtui.services import edits
from crmtui.services.export import record_json
from crmtui.services.session import Session
from crmtui.services.write_policy import WritePath, ensure_allowed


def print_record(record: Record, specs: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        print(dumps(record_json(record), indent=2))
        return
    width = max((len(n) for n in record.values), default=2)
    print(inert(f"{'id':<{width}}  {record.id}"))
    for name, value in record.values.items():
        text = inert(format_value(value, specs.get(name)))
        print(f"{inert(name):<{width}}  {text}")


async def _create(session: Session, args: argparse.Namespace) -> int:
    ensure_allowed(session.profile, WritePath.CREATE)  # refused before anything is checked
    values = field_values(args.values)
    validator = await session.backend.validator(args.entity)
    typed = validator.check(values, creating=True)  # checked once; create_record trusts it
    summary = "\n".join(f"  {k} = {format_value(v)!r}" for k, v in typed.items() if v is not None)
    confirm_write(session, args, WritePath.CREATE, f"create {args.entity}:\n{summary}")
    record = await edits.create_record(session, args.entity, typed)
    print(f"created {args.entity} {record.id}", file=sys.stderr)
    specs = {s.name: s for s in await session.backend.fields(args.entity)}
    print_record(record, specs, args.format)
    return 0


async def _update(session: Session, args: argparse.Namespace) -> int:
    ensure_allowed(session.profile, WritePath.EDIT)  # refused before anything is checked
    values = field_values(args.values)
    validator = await session.backend.validator(args.entity)
    typed = validator.check(values)  # checked once; save_changes trusts it
    current = await session.backend.get(args.entity, args.id)
    changed = [c.field for c in diff(current.values, typed)]
    changes = ChangeSet(typed).only(changed, current.values)
    if not changes:
        print(f"{args.entity} {args.id}: nothing to change", file=sys.stderr)
        return 0
    summary = "\n".join(
        f"  {c.field}: {format_value(c.old)!r} -> {format_value(c.new)!r}" for c in changes
    )
    confirm_write(session, args, WritePath.EDIT, f"update {args.entity} {args.id}:\n{summary}")
    record = await edits.save_changes(session, args.entity, args.id, changes)
    print(
        inert(f"updated {args.entity} {args.id}:\n{summary}", keep_newlines=True), file=sys.stderr
    )
    specs = {s.name: s for s in await session.backend.fields(args.entity)}
    print_record(record, specs, args.format)
    return 0


async def _delete(session: Session, args: argparse.Namespace) -> int:
    ensure_allowed(session.profile, WritePath.DELETE)  # refused before anything is read
    record = await session.backend.get(args.entity, args.id)
    spec = await session.backend.entity(args.entity)
    confirm_write(
        session,
        args,
        WritePath.DELETE,
        inert(f"delete {args.entity} {args.id} ({record.title(spec)})"),
    )
    await edits.delete_record(session, args.entity, args.id)
    print(f"deleted {args.entity} {args.id}", file=sys.stderr)
    return 0


async def _action(session: Session, args: argparse.Namespace) -> int:
    ensure_allowed(session.profile, WritePath.ACTION)  # refused before anything is read
    actions = await session.backend.actions(args.entity)
    if args.action not in {a.name for a in actions}:
        names = ", ".join(a.name for a in actions) or "none"
        raise UsageError(f"{args.entity} has no action {args.action!r}; it has: {names}")
    confirm_write(session, args, WritePath.ACTION, f"{args.action} {args.entity} {args.id}")
    message = await edits.run_action(
        session, args.entity, args.id, args.action, field_values(args.values)
    )
    print(inert(message))
    return 0


def add_write_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register create, update, delete and action."""
    for name, handler, helptext in (
        ("create", _create, "create a record: crmtui create lead FirstName=Ada Email=a@b.co"),
        ("update", _update, "change fields: crmtui update lead ID FirstName=Ada"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("entity")
        if name == "update":
            p.add_argument("id")
        p.add_argument("values", nargs="+", metavar="field=value")
        p.add_argument("--format", choices=("table", "json"), default="table")
        p.add_argument("-y", "--yes", action="store_true", help="yes to the write prompt")
        p.set_defaults(func=with_session(handler))

    p = sub.add_parser("delete", help="delete a record")
    p.add_argument("entity")
    p.add_argument("id")
    p.add_argument("-y", "--yes", action="store_true", help="yes to the write prompt")
    p.set_defaults(func=with_session(_delete))

    p = sub.add_parser("action", help="run a record action (convert, close, task, opportunity)")
    p.add_argument("entity")
    p.add_argument("id")
    p.add_argument("action")
    p.add_argument("values", nargs="*", metavar="field=value")
    p.add_argument("-y", "--yes", action="store_true", help="yes to the write prompt")
    p.set_defaults(func=with_session(_action))
