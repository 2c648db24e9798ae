"""Fetch many pages in order, several in flight at once; the HTTP layer keeps the vendor's pace."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from crmtui.backends.base import Backend
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
    concurrency: int = 4,
    on_progress: Callable[[Progress], None] | None = None,
) -> AsyncIterator[Record]:
    """Every record (or the first `limit`) in order.

    The first page tells whether the vendor gives a total: with one, every page is known in
    advance; without, pages are fetched `concurrency` ahead until a short or empty page.
    """
    size = min(page_size or backend.max_page_size, backend.max_page_size)
    if limit is not None:
        size = min(size, max(limit, 1))
    first = await backend.list_page(entity, query, 0, size)
    yielded = 0
    for record in first.records[: _room(limit, yielded)]:
        yield record
        yielded += 1
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
            for record in page.records[: _room(limit, yielded)]:
                yield record
                yielded += 1
            if on_progress:
                on_progress(Progress(yielded, total if total is not None else page.total))
            if page.next_offset is None or len(page.records) < size or _room(limit, yielded) == 0:
                return
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


def _room(limit: int | None, done: int) -> int | None:
    return None if limit is None else max(0, limit - done)
