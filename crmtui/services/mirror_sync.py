"""Fill and refresh a mirror at the vendor's pace: a full copy first, then only the changes.

Changes come from what the vendor reports: `changed_since` where the backend can watch
(SharpSpring's DateRange calls), else the list sorted by a modified-date field, newest first
(LeadSquared's RecentlyModified, CMDataManager's sort_by); a vendor with neither is copied
again. crmtui's own writes reach the mirror at once through `mirror_writes`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import weakref
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass

from crmtui.backends.base import Backend
from crmtui.model import Capability, FieldSpec, FieldType, Query, Record, Sort
from crmtui.model.filter import word_fields
from crmtui.services.mirror import EntityState, Mirror
from crmtui.services.mirror_sql import layout_for
from crmtui.services.mirror_writes import observe
from crmtui.services.paging import Progress, in_flight, iter_pages
from crmtui.services.session import Session

MARGIN = dt.timedelta(minutes=2)  # vendors index writes late: look back a little further
MODIFIED = re.compile(r"modif|updat|changed", re.IGNORECASE)
BATCH = 5_000  # records written in one transaction at most, when pages arrive faster


@dataclass
class SyncProgress:
    """How far a sync has come."""

    entity: str
    fetched: int
    total: int | None
    full: bool

    def label(self) -> str:
        """'mirror lead 1,200/48,213' for a status bar."""
        of = f"/{self.total:,}" if self.total else ""
        what = "copying" if self.full else "refreshing"
        return f"mirror: {what} {self.entity} {self.fetched:,}{of}"


_open: dict[int, tuple[weakref.ref[Session], Mirror, Callable[[], None]]] = {}
"""The open mirrors by session. Keyed by id, as a Session (a dataclass) is not hashable: each
entry also holds a weak reference to its session, so a session dropped without `aclose` never
hands its mirror (another profile's data) to a later session given the same id."""


def mirror_for(session: Session) -> Mirror | None:
    """The session's mirror when its profile has `mirror = true` (opened once per session).

    Opening it makes crmtui's own writes reach it at once.
    """
    if not getattr(session.profile, "mirror", False):
        return None
    entry = _open.get(id(session))
    if entry is not None and entry[0]() is session:
        return entry[1]
    if entry is not None:  # a session that was never closed, and is gone
        _close(entry)
    found = Mirror.for_profile(session.profile.name)

    def follow(entity: str, record_id: str, record: Record | None) -> None:
        if found.layout(entity) is None:
            return
        if record is None:
            found.delete(entity, record_id)
        else:
            found.upsert(entity, [record])

    _open[id(session)] = (weakref.ref(session), found, observe(session, follow))
    return found


def close_mirror(session: Session) -> None:
    """Close the session's mirror, if open."""
    entry = _open.get(id(session))
    if entry is not None and (entry[0]() is session or entry[0]() is None):
        del _open[id(session)]
        _close(entry)


def _close(entry: tuple[weakref.ref[Session], Mirror, Callable[[], None]]) -> None:
    _, mirror, stop = entry
    stop()
    mirror.close()


def modified_field(fields: list[FieldSpec]) -> str | None:
    """A date-time field that says when a record last changed, if the entity has one."""
    for spec in fields:
        if spec.type is FieldType.DATETIME and MODIFIED.search(spec.name):
            return spec.name
    return None


async def mirrorable(backend: Backend) -> list[str]:
    """The entities that can be listed (what a mirror copies)."""
    return [e.name for e in await backend.entities() if e.can(Capability.LIST)]


async def sync_entity(
    backend: Backend,
    mirror: Mirror,
    entity: str,
    *,
    full: bool = False,
    concurrency: int | None = None,
    on_progress: Callable[[SyncProgress], None] | None = None,
) -> int:
    """Bring the copy of `entity` up to date; returns how many records were written.

    `concurrency`: pages in flight at most; None, as many as keep the vendor's rate window
    full (`in_flight`: a request holds its place in the window until a period after its
    answer, so slow answers need more of them in flight).

    A copy that is known to start over (`full`, or no complete copy yet) asks for its first
    page together with the field metadata, in the same window: nothing is written before the
    layout of the fields the vendor gives now is in place."""
    if concurrency is None:
        concurrency = in_flight(backend)
    spec = await backend.entity(entity)
    started = dt.datetime.now(dt.UTC)
    pages = (
        _Pages(backend, entity, concurrency, on_progress)
        if full or _stale(mirror.state(entity))
        else None
    )
    try:
        fields = await backend.fields(entity)
        mirror.prepare(layout_for(entity, fields, word_fields(fields, spec)))
        state = mirror.state(entity)
        if pages is None and _stale(state):  # e.g. a layout that changed: the copy starts over
            pages = _Pages(backend, entity, concurrency, on_progress)
        if pages is not None:
            written = await _full(mirror, entity, pages)
            if written == 0:
                # nothing listed (or a vendor that lists this entity only by a filter): the
                # copy stays unused, so searches keep going to the vendor
                mirror.mark_synced(entity, complete=False)
                return 0
        else:
            assert state is not None and state.cursor is not None
            since = dt.datetime.fromisoformat(state.cursor) - MARGIN
            changed = await _changes(backend, mirror, entity, since, on_progress)
            if changed is None:
                pages = _Pages(backend, entity, concurrency, on_progress)
                changed = await _full(mirror, entity, pages)
            written = changed
    finally:
        if pages is not None:
            await pages.close()
    mirror.mark_synced(entity, complete=True, cursor=started.isoformat())
    return written


def _stale(state: EntityState | None) -> bool:
    """Whether the copy must start over (none yet, incomplete, or no change marker)."""
    return state is None or not state.complete or state.cursor is None


class _Pages:
    """Every page of `entity`, fetched from now on into a queue, running ahead of the writes."""

    def __init__(
        self,
        backend: Backend,
        entity: str,
        concurrency: int,
        on_progress: Callable[[SyncProgress], None] | None,
    ) -> None:
        def progress(p: Progress) -> None:
            if on_progress is not None:
                on_progress(SyncProgress(entity, p.fetched, p.total, True))

        pages = iter_pages(backend, entity, Query(), concurrency=concurrency, on_progress=progress)
        self.queue: asyncio.Queue[list[Record] | None] = asyncio.Queue(
            maxsize=2 * max(1, concurrency)
        )

        async def fetch() -> None:
            async with aclosing(pages):
                async for page in pages:
                    await self.queue.put(page)
            await self.queue.put(None)

        self.fetcher = asyncio.create_task(fetch())

    async def close(self) -> None:
        """Stop fetching (the pages still in flight are cancelled)."""
        self.fetcher.cancel()
        await asyncio.gather(self.fetcher, return_exceptions=True)


async def _full(mirror: Mirror, entity: str, pages: _Pages) -> int:
    """Write every page of `pages` in a new generation; the rows it did not see go."""
    generation = mirror.generation(entity, bump=True)
    count = 0
    queue, fetcher = pages.queue, pages.fetcher
    empty = mirror.begin_bulk(entity)
    try:
        while (page := await _next(queue, fetcher)) is not None:
            # the pages that came in meanwhile go in the same transaction (fewer commits)
            batch = list(page)
            while len(batch) < BATCH and not queue.empty():
                more = queue.get_nowait()
                if more is None:
                    queue.put_nowait(None)  # the end: seen again by `_next`
                    break
                batch.extend(more)
            await asyncio.to_thread(mirror.upsert, entity, batch, generation)
            count += len(batch)
        await fetcher  # a fetch that failed raises here
        if not empty:  # a copy into an empty table has no row of an older generation
            await asyncio.to_thread(mirror.sweep, entity, generation)
    finally:
        await pages.close()
        await asyncio.to_thread(mirror.end_bulk, entity)
    return count


async def _next(
    queue: asyncio.Queue[list[Record] | None], fetcher: asyncio.Task[None]
) -> list[Record] | None:
    """The next page, or None at the end (or when the fetcher failed: awaiting it raises)."""
    if queue.empty() and fetcher.done():
        return None
    getter = asyncio.ensure_future(queue.get())
    done, _ = await asyncio.wait({getter, fetcher}, return_when=asyncio.FIRST_COMPLETED)
    if getter in done:
        return getter.result()
    getter.cancel()
    return None if queue.empty() else queue.get_nowait()


async def _changes(
    backend: Backend,
    mirror: Mirror,
    entity: str,
    since: dt.datetime,
    on_progress: Callable[[SyncProgress], None] | None,
) -> int | None:
    """The records changed since `since`, or None when the vendor cannot say."""
    spec = await backend.entity(entity)
    if spec.can(Capability.WATCH) and backend.can(Capability.WATCH):
        records = await backend.changed_since(entity, since)
        await asyncio.to_thread(mirror.upsert, entity, records)
        if on_progress is not None:
            on_progress(SyncProgress(entity, len(records), len(records), False))
        return len(records)
    field = modified_field(await backend.fields(entity))
    if field is None or not spec.can(Capability.SORT):
        return None
    count = 0
    query = Query(sort=Sort(field, descending=True))
    pages = iter_pages(backend, entity, query, concurrency=1)
    async for page in pages:
        fresh = [r for r in page if (_when(r, field) or since) >= since]
        await asyncio.to_thread(mirror.upsert, entity, fresh)
        count += len(fresh)
        if on_progress is not None:
            on_progress(SyncProgress(entity, count, None, False))
        if len(fresh) < len(page):
            break
    await pages.aclose()
    return count


def _when(record: Record, field: str) -> dt.datetime | None:
    value = record.values.get(field)
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
