"""A scan: every page of a list read at the vendor's pace, matches picked out as they arrive.

For a filter the server cannot apply and no mirror can answer. Pages are read at the vendor's
largest page size, several in flight (the HTTP layer keeps the pace), and handed on in order
as `Page`s of the list's own size, so the list shows the rows it has read; stopping the
iteration cancels the pages still on their way.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass

from crmtui.backends.base import Backend
from crmtui.model import FieldSpec, Page, Query
from crmtui.model.filter import Expr, matches
from crmtui.services.paging import iter_pages


@dataclass
class ScanStep:
    """One list page read: the page, the positions of its matches, the rows read so far."""

    page: Page
    hits: list[int]
    read: int
    total: int | None


async def scan(
    backend: Backend,
    entity: str,
    query: Query,
    expr: Expr,
    specs: Mapping[str, FieldSpec],
    *,
    page_size: int,
    concurrency: int = 4,
) -> AsyncGenerator[ScanStep, None]:
    """Read every page of `entity` by `query`; yield each list page with its matches."""
    offset = 0
    total: int | None = None

    def learn(progress: object) -> None:
        nonlocal total
        total = getattr(progress, "total", None) or total

    size = max(page_size, backend.max_page_size // page_size * page_size)  # whole list pages
    pages = iter_pages(
        backend, entity, query, page_size=size, concurrency=concurrency, on_progress=learn
    )
    held: ScanStep | None = None  # one step behind, so the last one can say it is the last
    try:
        async for records in pages:
            for start in range(0, len(records), page_size):
                chunk = records[start : start + page_size]
                at = offset + start
                hits = [at + i for i, r in enumerate(chunk) if matches(expr, r, specs)]
                end = at + len(chunk)
                if held is not None:
                    yield held
                held = ScanStep(Page(chunk, at, end, total), hits, end, total)
            offset += len(records)
        if held is not None:
            held.page.next_offset = None
            yield held
    finally:
        await pages.aclose()
