"""The `list` command: records of an entity or a saved view, filtered, sorted, streamed out."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import aclosing, contextmanager

from crmtui.cli.context import with_session
from crmtui.cli.errors import positive_int
from crmtui.cli.progress import ProgressBar
from crmtui.errors import UsageError
from crmtui.model import Capability, Query, Sort
from crmtui.model.filter import Expr, parse
from crmtui.model.sanitize import inert
from crmtui.model.validation import unknown_field_message
from crmtui.services import search
from crmtui.services.export import FORMATS, export_view, write_pages
from crmtui.services.mirror_sync import mirror_for
from crmtui.services.paging import in_flight
from crmtui.services.session import Session
from crmtui.services.views import Views


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


def add_list_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `list`."""
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
