"""`crmtui mirror status|sync|clear`: the profile's local copy of its records."""

from __future__ import annotations

import argparse
import sys
import time

from crmtui.cli.context import with_session
from crmtui.cli.errors import positive_int
from crmtui.cli.progress import ProgressBar
from crmtui.errors import UsageError
from crmtui.model.sanitize import inert
from crmtui.services.mirror import Mirror
from crmtui.services.mirror_sync import SyncProgress, mirror_for, mirrorable, sync_entity
from crmtui.services.paging import Progress
from crmtui.services.session import Session


def _mirror(session: Session) -> Mirror:
    found = mirror_for(session)
    if found is None:
        raise UsageError(
            f"profile {session.profile.name!r} keeps no mirror; add `mirror = true` to it"
        )
    return found


async def _status(session: Session, args: argparse.Namespace) -> int:
    mirror = _mirror(session)
    size = sum(p.stat().st_size for p in mirror.path.parent.glob(mirror.path.name + "*"))
    print(inert(f"{mirror.path}  {size / 1e6:,.1f} MB"))
    states = mirror.states()
    if not states:
        print("nothing mirrored yet: crmtui mirror sync")
    now = time.time()
    for state in states:
        complete = "" if state.complete else "  (incomplete: not used for searches)"
        print(inert(f"{state.entity:<16} {state.count:>10,} records  {state.age(now)}{complete}"))
    return 0


async def _sync(session: Session, args: argparse.Namespace) -> int:
    mirror = _mirror(session)
    # the copy keeps ids, not the names they point at: no calls (and no slots of the vendor's
    # rate window) for those names
    session.backend.reference_choices = False
    entities = args.entity or await mirrorable(session.backend)
    show = args.progress or sys.stderr.isatty()
    for entity in entities:
        await session.backend.entity(entity)
        bar = ProgressBar(entity, sys.stderr) if show else None

        def progress(p: SyncProgress, bar: ProgressBar | None = bar) -> None:
            if bar is not None:
                bar.update(Progress(p.fetched, p.total))

        count = await sync_entity(
            session.backend,
            mirror,
            entity,
            full=args.full,
            concurrency=args.concurrency,
            on_progress=progress,
        )
        if bar is not None:
            bar.finish(count)
        state = mirror.state(entity)
        total = state.count if state else count
        print(f"{entity}: {count:,} written, {total:,} mirrored", file=sys.stderr)
    return 0


async def _clear(session: Session, args: argparse.Namespace) -> int:
    mirror = _mirror(session)
    mirror.clear(args.entity)
    print(f"cleared {args.entity or 'the whole mirror'}", file=sys.stderr)
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `mirror`."""
    p = sub.add_parser("mirror", help="the profile's local copy of its records (mirror = true)")
    actions = p.add_subparsers(dest="mirror_command", metavar="ACTION", required=True)
    a = actions.add_parser("status", help="what is mirrored and how old it is")
    a.set_defaults(func=with_session(_status))
    a = actions.add_parser("sync", help="copy the records, then only what changed")
    a.add_argument("entity", nargs="*", help="entities (default: every listable one)")
    a.add_argument("--full", action="store_true", help="copy everything again")
    a.add_argument(
        "--concurrency",
        type=positive_int,
        help="pages in flight (default: as many as keep the vendor's rate window full)",
    )
    a.add_argument("--progress", action="store_true", help="progress bar even when not a tty")
    a.set_defaults(func=with_session(_sync))
    a = actions.add_parser("clear", help="delete the copy (of one entity, or all)")
    a.add_argument("entity", nargs="?")
    a.set_defaults(func=with_session(_clear))
