"""Record commands: entities, fields, list, get, create, update, delete, action."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import aclosing, contextmanager
from typing import Any

from crmtui.cli.context import confirm_write, field_values, with_session
from crmtui.cli.edit_cmd import looks_like_email
from crmtui.cli.errors import positive_int
from crmtui.cli.progress import ProgressBar
from crmtui.errors import UsageError
from crmtui.model import Capability, ChangeSet, Query, Record, Sort, diff, format_value
from crmtui.model.filter import Expr, parse
from crmtui.model.sanitize import dumps, inert
from crmtui.model.validation import unknown_field_message
from crmtui.services import edits, search
from crmtui.services.export import FORMATS, export_view, record_json, write_pages
from crmtui.services.mirror_sync import mirror_for
from crmtui.services.paging import in_flight
from crmtui.services.session import Session
from crmtui.services.views import Views
from crmtui.services.watch import summary
from crmtui.services.write_policy import WritePath, ensure_allowed


async def _entities(session: Session, args: argparse.Namespace) -> int:
    for spec in await session.backend.entities():
        caps = ",".join(sorted(c.value for c in spec.capabilities))
        custom = " (custom)" if spec.custom else ""
        print(f"{spec.name:<16} {spec.label}{custom}  [{caps}]")
    return 0


async def _fields(session: Session, args: argparse.Namespace) -> int:
    specs = await session.backend.fields(args.entity)
    if args.format == "json":
        rows = [
            {
                "name": s.name,
                "label": s.label,
                "type": s.type.value,
                "required": s.required,
                "read_only": s.read_only,
                "max_length": s.max_length,
                "custom": s.custom,
                "choices": [c.value for c in s.choices],
                "reference": s.reference,
            }
            for s in specs
        ]
        print(dumps(rows, indent=2))
        return 0
    for s in specs:
        flags = [
            f
            for f, on in (
                ("required", s.required),
                ("read-only", s.read_only),
                ("custom", s.custom),
            )
            if on
        ]
        extra = f" max {s.max_length}" if s.max_length else ""
        if s.choices:
            extra += " [" + "|".join(c.value for c in s.choices) + "]"
        print(inert(f"{s.name:<24} {s.type.value:<9} {s.label}{extra} {' '.join(flags)}".rstrip()))
    return 0


async def _check_fields(session: Session, entity: str, names: Sequence[str]) -> None:
    known = {s.name: s for s in await session.backend.fields(entity)}
    errors = {n: unknown_field_message(n, known) for n in names if n not in known}
    if errors:
        raise UsageError("; ".join(f"{name}: {why}" for name, why in errors.items()))


def _apply_view(session: Session, args: argparse.Namespace) -> None:
    """`--view NAME`: its entity, filter, sort and columns (options given too take precedence,
    a --where adds to the view's filter)."""
    if not args.view:
        if not args.entity:
            raise UsageError("name an entity (crmtui entities lists them) or a --view")
        return
    view = Views().get(session.profile.name, args.view)
    if args.entity and args.entity != view.entity:
        raise UsageError(f"view {view.name!r} shows {view.entity}, not {args.entity}")
    args.entity = view.entity
    args.where = [view.filter, *args.where] if view.filter else args.where
    args.sort = args.sort or view.sort
    args.fields = args.fields or (",".join(view.columns) if view.columns else None)


async def _list(session: Session, args: argparse.Namespace) -> int:
    _apply_view(session, args)
    backend = session.backend
    spec = await backend.entity(args.entity)
    fields = tuple(f.strip() for f in args.fields.split(",") if f.strip()) if args.fields else None
    sort = Sort.parse(args.sort) if args.sort else None
    await _check_fields(session, args.entity, [*(fields or ()), *([sort.field] if sort else [])])
    mirror = mirror_for(session)
    mirrored = mirror is not None and mirror.ready(args.entity)
    if sort and not spec.can(Capability.SORT) and not mirrored:
        raise UsageError(f"{backend.label} cannot sort {args.entity} on the server")
    query = Query(sort=sort, fields=fields)
    limit = None if args.all else args.limit
    where = " ".join(args.where)
    expr = parse(where, await backend.fields(args.entity), spec) if where.strip() else None
    if expr is None and sort is not None and mirrored:
        expr = Expr()  # the local copy sorts
    args.concurrency = args.concurrency or in_flight(backend)  # the vendor's window kept full
    show = (args.all or expr is not None) and (args.progress or sys.stderr.isatty())
    bar = ProgressBar(args.entity, sys.stderr) if show else None
    with _few_collections():
        if expr is not None:
            count = await _list_where(session, args, expr, query, limit, bar)
        else:
            count = await export_view(
                backend,
                args.entity,
                query,
                args.format,
                sys.stdout,
                limit=limit,
                concurrency=args.concurrency,
                on_progress=bar.update if bar else None,
            )
    if bar:
        bar.finish(count)
    return 0


async def _list_where(
    session: Session,
    args: argparse.Namespace,
    expr: Expr,
    query: Query,
    limit: int | None,
    bar: ProgressBar | None,
) -> int:
    """The records matching `expr`: from the mirror, else the server and a local check."""
    backend = session.backend
    pages = search.iter_matches(
        backend,
        args.entity,
        expr,
        sort=query.sort,
        fields=query.fields,
        limit=limit,
        concurrency=args.concurrency,
        on_progress=bar.update if bar else None,
        on_plan=lambda p: (
            print(inert(f"filter: {p.describe()}"), file=sys.stderr) if p.scans else None
        ),
        mirror=mirror_for(session),
    )
    specs = await backend.fields(args.entity)
    async with aclosing(pages):
        return await write_pages(pages, args.format, sys.stdout, query.fields, specs)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Fewer, cheaper garbage collections while records stream through: what start-up made is
    frozen out of them (each full collection walked it all again: a third of a second per
    100,000 records), and the young generation is collected less often."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 20_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _print_record(record: Record, specs: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        print(dumps(record_json(record), indent=2))
        return
    width = max((len(n) for n in record.values), default=2)
    print(inert(f"{'id':<{width}}  {record.id}"))
    for name, value in record.values.items():
        text = inert(format_value(value, specs.get(name)))
        print(f"{inert(name):<{width}}  {text}")


async def _get(session: Session, args: argparse.Namespace) -> int:
    if looks_like_email(args.id) or any(op in args.id for op in "=~<>"):
        mirror = mirror_for(session)
        record = await search.find_one(session.backend, args.entity, args.id, mirror)
    else:
        record = await session.backend.get(args.entity, args.id.strip())
    specs = {s.name: s for s in await session.backend.fields(args.entity)}
    _print_record(record, specs, args.format)
    if args.related:
        for group in await session.backend.related(args.entity, record.id):
            spec = await session.backend.entity(group.entity)
            print(f"\n{inert(group.label)}: {len(group.records)}")
            for item in group.records:
                print(inert(f"  {item.id}  {item.title(spec)}  {summary(item, spec)}".rstrip()))
    return 0


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
    _print_record(record, specs, args.format)
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
    _print_record(record, specs, args.format)
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


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the record commands."""
    p = sub.add_parser("entities", help="list the entities the profile's vendor offers")
    p.set_defaults(func=with_session(_entities))

    p = sub.add_parser("fields", help="describe the fields of an entity")
    p.add_argument("entity")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=with_session(_fields))

    p = sub.add_parser("list", help="list records of an entity (or a saved view)")
    p.add_argument("entity", nargs="?")
    p.add_argument("--view", metavar="NAME", help="a saved view: its entity, filter, sort, columns")
    amount = p.add_mutually_exclusive_group()
    amount.add_argument(
        "--limit", type=positive_int, default=50, help="how many records (default 50)"
    )
    amount.add_argument("--all", action="store_true", help="every record, page by page")
    p.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="EXPR",
        help="filter (repeatable, all must hold): field=value field~text field>value, an email, "
        "an id or free text; the server applies what it can, the rest is matched locally",
    )
    p.add_argument("--sort", help="FIELD or FIELD:desc")
    p.add_argument("--fields", help="comma-separated fields to show")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument(
        "--concurrency",
        type=positive_int,
        help="pages in flight (default: enough to keep the vendor's rate window full, or 4)",
    )
    p.add_argument("--progress", action="store_true", help="progress bar even when not a tty")
    p.set_defaults(func=with_session(_list))

    p = sub.add_parser("get", help="show one record")
    p.add_argument("entity")
    p.add_argument("id", help="the record's id, its email address or a filter")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--related", action="store_true", help="also the records tied to it (activity, lists)"
    )
    p.set_defaults(func=with_session(_get))

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
