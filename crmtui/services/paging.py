"""Fetch many pages in order, several in flight at once; the HTTP layer keeps the vendor's pace."""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from crmtui.backends.base import Backend
from crmtui.backends.page_guard import PageGuard
from crmtui.errors import VendorError
from crmtui.model import Page, Query, Record


@dataclass
class Progress:
    """How far a multi-page fetch has come."""

    fetched: int
    total: int | None


async def iter_records(
    backend: Backend,
    entity: str,
    query: Query,
    *,
    limit: int | None = None,
    page_size: int | None = None,
    concurrency: int | None = 4,
    on_progress: Callable[[Progress], None] | None = None,
) -> AsyncIterator[Record]:
    """Every record (or the first `limit`) in order; see `iter_pages`."""
    pages = iter_pages(
        backend,
        entity,
        query,
        limit=limit,
        page_size=page_size,
        concurrency=concurrency,
        on_progress=on_progress,
    )
    async with aclosing(pages):  # stopping early cancels the pages still in flight
        async for page in pages:
            for record in page:
                yield record


async def iter_pages(
    backend: Backend,
    entity: str,
    query: Query,
    *,
    limit: int | None = None,
    page_size: int | None = None,
    concurrency: int | None = 4,
    on_progress: Callable[[Progress], None] | None = None,
) -> AsyncGenerator[list[Record], None]:
    """Every record (or the first `limit`) in order, a page at a time (no page is empty).

    The first page tells whether the vendor gives a total: with one, every page is known in
    advance; without, pages are fetched `concurrency` ahead until a short or empty page.
    `concurrency=None`: as many as keep the vendor's rate window full (`in_flight`).
    """
    if concurrency is None:
        concurrency = in_flight(backend)
    size = min(page_size or backend.max_page_size, backend.max_page_size)
    if limit is not None:
        size = min(size, max(limit, 1))
    first = await backend.list_page(entity, query, 0, size)
    label = str(getattr(backend, "label", "the vendor"))
    guard = PageGuard(f"{entity} records", label)
    guard.take([r.id for r in first.records])
    yielded = 0
    records = first.records[: _room(limit, yielded)]
    if records:
        yield records
        yielded += len(records)
    total = first.total
    if on_progress:
        on_progress(Progress(yielded, total))
    if first.next_offset is None or _room(limit, yielded) == 0:
        return

    async def fetch(offset: int) -> Page:
        return await backend.list_page(entity, query, offset, size)

    next_offset: int | None = first.next_offset
    pending: list[asyncio.Task[Page]] = []
    try:
        while True:
            while len(pending) < max(1, concurrency) and next_offset is not None:
                if total is not None and next_offset >= total:
                    next_offset = None
                    break
                if limit is not None and next_offset >= limit:
                    next_offset = None
                    break
                pending.append(asyncio.create_task(fetch(next_offset)))
                next_offset += size
            if not pending:
                return
            page = await pending.pop(0)
            if page.records and not guard.take([r.id for r in page.records]):
                raise VendorError(
                    f"{label} sent the same page of {entity} records again (offset "
                    f"{page.offset}): its paging does not move on, so the listing stopped there"
                )
            records = page.records[: _room(limit, yielded)]
            if records:
                yield records
                yielded += len(records)
            if on_progress:
                on_progress(Progress(yielded, total if total is not None else page.total))
            if page.next_offset is None or len(page.records) < size or _room(limit, yielded) == 0:
                return
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


def in_flight(backend: Backend, answer_s: float = 1.0) -> int:
    """Pages in flight that keep a vendor's rate window full when answers take up to
    `answer_s` (SharpSpring's 10 a second: 10); 4 for a vendor without a window. The HTTP
    layer's pacing keeps them within the window, however many there are."""
    limits = getattr(getattr(backend, "http", None), "limits", None)
    window = getattr(limits, "window", None)
    if not window:
        return 4
    count, period = window
    return max(4, min(16, math.ceil(int(count) / float(period) * answer_s)))


def _room(limit: int | None, done: int) -> int | None:
    return None if limit is None else max(0, limit - done)


# -- the first page, fetched ahead ----------------------------------------------------------------
_Key = tuple[str, Query, int, int]
_ahead: WeakKeyDictionary[Backend, dict[_Key, asyncio.Task[Page]]] = WeakKeyDictionary()


def prefetch(
    backend: Backend, entity: str, query: Query, offset: int, limit: int
) -> asyncio.Task[Page]:
    """Start fetching a page now (e.g. the first one, while the screen that shows it is built);
    `fetch_page` (or `take_ready`) with the same arguments takes it. Returns its task, to wait
    for (it is not taken by waiting)."""
    task = asyncio.ensure_future(backend.list_page(entity, query, offset, limit))
    task.add_done_callback(_retrieve)
    found = _ahead.setdefault(backend, {})
    old = found.pop((entity, query, offset, limit), None)
    if old is not None:
        old.cancel()
    found[(entity, query, offset, limit)] = task
    return task


async def fetch_page(backend: Backend, entity: str, query: Query, offset: int, limit: int) -> Page:
    """`backend.list_page(...)`, or the page `prefetch` began for the same arguments (taken
    once; should it have failed, the page is asked for again, which reports its own error)."""
    task = _ahead.get(backend, {}).pop((entity, query, offset, limit), None)
    if task is not None:
        with contextlib.suppress(Exception):
            return await task
    return await backend.list_page(entity, query, offset, limit)


def take_ready(backend: Backend, entity: str, query: Query, offset: int, limit: int) -> Page | None:
    """The page `prefetch` began for the same arguments if it has already arrived (taken once),
    else None (still on its way, failed, or never asked for: `fetch_page` then awaits it)."""
    found = _ahead.get(backend, {})
    task = found.get((entity, query, offset, limit))
    if task is None or not task.done() or task.cancelled() or task.exception() is not None:
        return None
    del found[(entity, query, offset, limit)]
    return task.result()


def forget(backend: Backend) -> None:
    """Drop the pages fetched ahead that nobody took (the session closed)."""
    for task in _ahead.pop(backend, {}).values():
        task.cancel()


def _retrieve(task: asyncio.Task[Page]) -> None:
    """A page fetched ahead that failed while nobody waited is not an unhandled error."""
    if not task.cancelled():
        task.exception()
