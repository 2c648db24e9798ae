"""`crmtui outbox` (list, show, retry, resolve, edit, discard) and `crmtui revert`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crmtui.cli.context import confirm_write, field_values, with_session
from crmtui.errors import UsageError
from crmtui.model import Record
from crmtui.model.sanitize import inert
from crmtui.services import outbox
from crmtui.services.edits import EditConflict, journal_for
from crmtui.services.journal import Entry
from crmtui.services.session import Session
from crmtui.services.write_policy import WritePath


def _show(value: Any) -> str:
    return inert("" if value is None else json.dumps(value, ensure_ascii=False))


def print_conflict(conflict: EditConflict) -> None:
    """The fields that changed elsewhere: loaded / theirs / mine, and how to settle them."""
    print(inert(f"conflict: {conflict.message}"), file=sys.stderr)
    for c in conflict.conflicts:
        print(
            f"  {inert(c.field)}: loaded {_show(c.loaded)}, theirs {_show(c.theirs)}, "
            f"mine {_show(c.mine)}",
            file=sys.stderr,
        )
    names = " ".join(f"{inert(c.field)}=mine|theirs" for c in conflict.conflicts)
    print(f"settle it with: crmtui outbox resolve {conflict.entry.id} {names}", file=sys.stderr)


async def _list(session: Session, args: argparse.Namespace) -> int:
    journal = journal_for(session)
    entries = journal.entries() if args.all else journal.pending()
    if not entries:
        print(f"outbox of {session.profile.name}: nothing pending", file=sys.stderr)
        return 0
    for entry in entries:
        print(inert(entry.summary()))
    return 0


async def _detail(session: Session, args: argparse.Namespace) -> int:
    entry = journal_for(session).get(args.id)
    print(inert(entry.summary()))
    for change in entry.changes:
        name = change["field"]
        line = f"  {name}: loaded {_show(change['old'])}, mine {_show(change['new'])}"
        if name in entry.theirs:
            line += f", theirs {_show(entry.theirs[name])}"
        print(inert(line))
    return 0


def _done(entry_id: str, result: Record | str | None) -> None:
    if isinstance(result, Record):
        print(inert(f"{entry_id}: applied ({result.entity} {result.id})"), file=sys.stderr)
    else:
        print(inert(f"{entry_id}: applied"), file=sys.stderr)


async def _retry(session: Session, args: argparse.Namespace) -> int:
    refs = [e.id for e in outbox.pending(session)] if args.all else args.ids
    if not refs:
        raise UsageError("give the id of a pending write (see crmtui outbox), or --all")
    confirm_write(session, args, WritePath.RETRY, f"send again: {', '.join(refs)}")
    code = 0
    for ref in refs:
        try:
            result = await outbox.retry(session, ref, force=args.force)
        except EditConflict as conflict:
            print_conflict(conflict)
            code = conflict.exit_code
            continue
        _done(ref, result)
    return code


async def _resolve(session: Session, args: argparse.Namespace) -> int:
    choices: dict[str, Any] = field_values(args.choices)
    wrong = {k: v for k, v in choices.items() if v not in ("mine", "theirs")}
    if wrong:
        raise UsageError(
            f"choose mine or theirs, not: {', '.join(f'{k}={v}' for k, v in wrong.items())}"
        )
    confirm_write(session, args, WritePath.RESOLVE, f"resolve {args.id}: {', '.join(args.choices)}")
    try:
        record = await outbox.resolve(session, args.id, choices)
    except EditConflict as conflict:
        print_conflict(conflict)
        return conflict.exit_code
    _done(args.id, record)
    return 0


async def _edit(session: Session, args: argparse.Namespace) -> int:
    entry: Entry = await outbox.edit(session, args.id, field_values(args.values))
    print(inert(entry.summary()))
    print(f"queued; send it with: crmtui outbox retry {entry.id}", file=sys.stderr)
    return 0


async def _discard(session: Session, args: argparse.Namespace) -> int:
    entry = outbox.discard(session, args.id)
    print(inert(f"{entry.id}: discarded (kept in the journal as a record)"), file=sys.stderr)
    return 0


async def _revert(session: Session, args: argparse.Namespace) -> int:
    last = outbox.last_revertible(session, args.entity, args.id)
    plan = outbox.revert_plan(last)
    what = {"create": "delete the record it created", "delete": "create the record again"}
    head = f"revert {last.id} ({last.op.value} of {last.target()}): "
    head += what.get(last.op.value, "set the fields back")
    if last.op.value == "delete":
        head += " (the vendor may give it a new id)"
    lines = [f"  {name}: {_show(now)} -> {_show(then)}" for name, now, then in plan]
    confirm_write(
        session, args, WritePath.REVERT, inert(head + ":\n" + "\n".join(lines), keep_newlines=True)
    )
    try:
        original, record = await outbox.revert_last(session, args.entity, args.id)
    except EditConflict as conflict:
        print_conflict(conflict)
        return conflict.exit_code
    if record is None:
        text = f"reverted {original.id}: deleted {original.target()}"
    elif original.op.value == "delete" and record.id != original.record_id:
        text = f"reverted {original.id}: created again as {record.entity} {record.id} (new id)"
    else:
        text = f"reverted {original.id} on {record.entity} {record.id}"
    print(inert(text), file=sys.stderr)
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `outbox` and `revert`."""
    p = sub.add_parser(
        "outbox",
        help="writes not applied yet: list, show, retry, resolve, edit, discard",
        description="Every write is journaled before it is sent; what did not apply waits here.",
    )
    p.add_argument("--all", action="store_true", help="list applied and discarded writes too")
    p.set_defaults(func=with_session(_list))
    acts = p.add_subparsers(dest="outbox_command", metavar="ACTION")

    a = acts.add_parser("list", help="the pending writes (default)")
    a.add_argument("--all", action="store_true", help="applied and discarded too")
    a.set_defaults(func=with_session(_list))

    a = acts.add_parser("show", help="one write, field by field (loaded / theirs / mine)")
    a.add_argument("id")
    a.set_defaults(func=with_session(_detail))

    a = acts.add_parser("retry", help="send pending writes again, after the same checks")
    a.add_argument("ids", nargs="*", metavar="ID")
    a.add_argument("--all", action="store_true", help="every pending write")
    a.add_argument("--force", action="store_true", help="resend an action whose outcome is unknown")
    a.add_argument("-y", "--yes", action="store_true", help="yes to the write prompt")
    a.set_defaults(func=with_session(_retry))

    a = acts.add_parser("resolve", help="settle a conflict: FIELD=mine or FIELD=theirs")
    a.add_argument("id")
    a.add_argument("choices", nargs="+", metavar="field=mine|theirs")
    a.add_argument("-y", "--yes", action="store_true", help="yes to the write prompt")
    a.set_defaults(func=with_session(_resolve))

    a = acts.add_parser("edit", help="change the values a pending write will send")
    a.add_argument("id")
    a.add_argument("values", nargs="+", metavar="field=value")
    a.set_defaults(func=with_session(_edit))

    a = acts.add_parser("discard", help="give up a pending write")
    a.add_argument("id")
    a.set_defaults(func=with_session(_discard))

    p = sub.add_parser(
        "revert",
        help="undo the last applied change (checked like any edit)",
        description="An update is set back; a create is deleted if unchanged since; a delete is "
        "created again from the values kept in the journal (with a new id where the vendor "
        "assigns ids).",
    )
    p.add_argument("entity", nargs="?", help="only a change of this entity")
    p.add_argument("id", nargs="?", help="only a change of this record")
    p.add_argument("-y", "--yes", action="store_true", help="yes to the write prompt")
    p.set_defaults(func=with_session(_revert))
