"""Paging: pages in order however they finish, the limit honoured, nothing left running."""

from __future__ import annotations

import asyncio
import random
from typing import cast

from crmtui.backends.base import Backend
from crmtui.model import Page, Query, Record
from crmtui.services.paging import iter_pages, iter_records


class Pages:
    """A vendor of `count` records, pages answering in random order; no total when `totals`."""

    max_page_size = 10
    label = "Paged vendor"  # PageGuard names the vendor in its messages

    def __init__(self, count: int, *, totals: bool = True) -> None:
        self.count = count
        self.totals = totals
        self.requested: list[int] = []
        self.running = 0
        self.rng = random.Random(3)

    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        self.requested.append(offset)
        self.running += 1
        try:
            await asyncio.sleep(self.rng.random() / 500)
        finally:
            self.running -= 1
        ids = range(offset, min(offset + limit, self.count))
        records = [Record(entity, str(i), {"n": i}) for i in ids]
        end = offset + len(records)
        total = self.count if self.totals else None
        more = end < self.count if self.totals else len(records) == limit
        return Page(records, offset, end if more else None, total)


def backend(vendor: Pages) -> Backend:
    return cast(Backend, vendor)


async def test_records_arrive_in_order_with_pages_in_flight() -> None:
    for totals in (True, False):
        vendor = Pages(95, totals=totals)
        got = [r.id async for r in iter_records(backend(vendor), "lead", Query(), concurrency=4)]
        assert got == [str(i) for i in range(95)]


async def test_pages_are_whole_pages_and_the_limit_cuts_the_last() -> None:
    vendor = Pages(95)
    sizes = [len(p) async for p in iter_pages(backend(vendor), "lead", Query(), limit=37)]
    assert sizes == [10, 10, 10, 7]
    assert max(vendor.requested) < 40


async def test_stopping_early_cancels_the_pages_in_flight() -> None:
    vendor = Pages(1000)
    records = iter_records(backend(vendor), "lead", Query(), concurrency=4)
    seen = 0
    async for _ in records:
        seen += 1
        if seen == 25:
            break
    await records.aclose()  # type: ignore[attr-defined]
    assert vendor.running == 0
    fetched = len(vendor.requested)
    await asyncio.sleep(0.02)
    assert len(vendor.requested) == fetched <= 8
