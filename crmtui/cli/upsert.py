"""The Upsert and Sent views on the command line: `upsert`, `choices` (alias `groups`), `sent`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from crmtui.backends import registry
from crmtui.backends.capabilities import UpsertForm, Upserts
from crmtui.backends.spec import View
from crmtui.cli.context import confirm_write, session_from_args
from crmtui.errors import UsageError, ValidationFailed
from crmtui.model.sanitize import dumps, inert
from crmtui.model.validation import unknown_field_message
from crmtui.services import edits
from crmtui.services.session import Session
from crmtui.services.write_policy import WritePath, ensure_allowed

Handler = Callable[[Session, argparse.Namespace], Awaitable[int]]
# --flag -> the form field it fills, when the vendor's form has that field.
LIST_FLAGS = {
    "add_tags": "add_tags",
    "remove_tags": "remove_tags",
    "add_lists": "add_to_lists",
    "remove_lists": "remove_from_lists",
}


def _runner(view: View, handler: Handler) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        async def go() -> int:
            async with session_from_args(args) as session:
                if view not in session.views():
                    raise UsageError(needs_view(session, view, args.command))
                return await handler(session, args)

        return asyncio.run(go())

    return run


def needs_view(session: Session, view: View, command: str) -> str:
    """Why `command` cannot run on this profile, naming the vendors that offer `view`."""
    offering = [spec.label for spec in registry.specs() if view in spec.views]
    hint = " (use create/update)" if view is View.UPSERT else ""
    return (
        f"`{command}` is for {' or '.join(offering) or 'no registered vendor'} profiles; "
        f"profile {session.profile.name!r} is {session.backend.label}{hint}"
    )


def form_values(form: UpsertForm, key: str, pairs: list[str]) -> dict[str, str]:
    """`field=value` pairs as the form's fields (short aliases accepted), plus the match key."""
    names = form.field_names()
    values = {form.key: key}
    for item in pairs:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"expected field=value, not {item!r}")
        full = name if name in names else form.aliases.get(name, "")
        if full not in names:
            known = {**{n: n for n in names}, **form.aliases}
            raise ValidationFailed({name: unknown_field_message(name, known)})
        values[full] = value
    return values


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


async def _upsert(session: Session, args: Any) -> int:
    backend = session.backend
    assert isinstance(backend, Upserts)
    form = backend.upsert_form()
    if args.entity != form.entity:
        raise UsageError(f"{backend.label} can only upsert {form.entity}s, not {args.entity!r}")
    ensure_allowed(session.profile, WritePath.UPSERT)  # refuse before asking for lists
    values = form_values(form, args.key, args.values)
    lists: dict[str, list[str]] = {}
    for flag, name in LIST_FLAGS.items():
        given = _names(getattr(args, flag))
        if given and name not in form.field_names():
            raise UsageError(f"--{flag.replace('_', '-')}: {backend.label} has no {name} field")
        if given:
            lists[name] = given
    lines = [f"  {k} = {v}" for k, v in values.items()]
    lines += [f"  {k} = {', '.join(v)}" for k, v in lists.items()]
    confirm_write(
        session,
        args,
        WritePath.UPSERT,
        inert(f"add or update {form.entity}:\n" + "\n".join(lines), keep_newlines=True),
    )
    # Through the journal like every write: on disk before it is sent, kept if it fails.
    wanted = {**values, **{k: ",".join(v) for k, v in lists.items()}}
    record = await edits.create_record(session, form.entity, wanted, path=WritePath.UPSERT)
    if args.format == "json":
        print(dumps({"email": record.id, **record.values}, indent=2))
    else:
        print(inert(f"sent {form.entity} {record.id}: {backend.label} answered OK"))
    return 0


async def _choices(session: Session, args: Any) -> int:
    backend = session.backend
    assert isinstance(backend, Upserts)
    choices = await backend.upsert_choices()
    if args.format == "json":
        rows = [{"id": c.value, "title": c.label} for c in choices]
        print(dumps(rows, indent=2))
        return 0
    for choice in choices:
        print(inert(f"{choice.value:<24} {choice.label}"))
    return 0


def _when(stamp: float) -> str:
    return dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M:%S")


async def _sent(session: Session, args: Any) -> int:
    history = session.sent
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
        details = ", ".join(f"{k}={v}" for k, v in entry.sent.items() if v != entry.email)
        if details and args.verbose:
            print(inert(f"    {details}"))
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `upsert`, `choices` (alias `groups`) and `sent`."""
    p = sub.add_parser("upsert", help="add or update a record by its match key (e.g. email)")
    p.add_argument("entity", help="the entity the vendor upserts (e.g. lead)")
    p.add_argument("key", metavar="email", help="the match key's value (e.g. the email)")
    p.add_argument("values", nargs="*", metavar="field=value", help="e.g. first_name=Ada")
    for flag, what in (
        ("--add-tags", "tags to add"),
        ("--remove-tags", "tags to remove"),
        ("--add-lists", "lists (by name) to add the record to"),
        ("--remove-lists", "lists (by name) to remove the record from"),
    ):
        p.add_argument(flag, default="", metavar="A,B", help=f"{what}, comma-separated")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-y", "--yes", action="store_true", help="yes to the write prompt")
    p.set_defaults(func=_runner(View.UPSERT, _upsert))

    p = sub.add_parser(
        "choices", aliases=["groups"], help="what the upsert form's pickers offer (e.g. groups)"
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=_runner(View.UPSERT, _choices))

    p = sub.add_parser("sent", help="what crmtui sent to a vendor that cannot be read back")
    p.add_argument("--limit", type=int, default=50, help="newest N entries (default 50)")
    p.add_argument("-v", "--verbose", action="store_true", help="show the values sent")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=_runner(View.SENT, _sent))
