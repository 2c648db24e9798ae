"""Find answered by the local copy: the first match placed at once when the copy is quick,
else by a worker; the other matches counted once that frame is drawn.

Each function takes the screen's `Finder` as `self`, as the methods they were.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, cast

from crmtui.model import Page
from crmtui.ui.messages import PageLoaded

if TYPE_CHECKING:
    from crmtui.model.filter import Expr
    from crmtui.services.mirror import Mirror
    from crmtui.services.mirror_source import MirrorSource
    from crmtui.ui.find import Finder

QUICK = 0.015  # seconds the local copy may take to answer a find in the UI's own thread


def is_mirror_source(backend: object) -> bool:
    """Whether `backend` is a local copy (none exists before the mirror modules are loaded)."""
    module = sys.modules.get("crmtui.services.mirror_source")
    return module is not None and isinstance(backend, module.MirrorSource)


def land_at_once(self: Finder, mirror: Mirror, entity: str, expr: Expr) -> bool:
    """Place the cursor on the first match now, when the copy answers within QUICK seconds
    (an indexed email, a name in the trigram index): the frame that moves the focus to the
    list shows the match too. False leaves it to a worker (a scan, another order)."""
    records = self.records
    if records.list_query.sort is not None or not is_mirror_source(records.backend):
        return False
    source = cast("MirrorSource", records.backend)
    generation = records._generation

    def first_and_its_page() -> tuple[int | None, Page | None]:
        first = mirror.first_position(entity, expr)
        if first is None or records.rows.get(first) is not None:
            return first, None
        offset = first // records.page_size * records.page_size
        return first, source.page_now(entity, records.list_query, offset, records.page_size)

    done, found = mirror.within(QUICK, first_and_its_page)
    if not done or found is None:
        return False
    first, page = found
    if page is not None:
        records.on_page_loaded(PageLoaded(generation, page.offset // records.page_size, page))
    self._landed(first)
    if first is not None:
        self.matches, self.counting = [first], True
        self.run(count_matches(self, mirror, entity, expr))
    return True


async def mirror_find(self: Finder, mirror: Mirror, entity: str, expr: Expr) -> None:
    """Land on the first match, then find the others (the count, n/N) once it is on
    screen: a name shared by a hundred thousand records lands as fast as a rare one."""
    records = self.records
    sort = records.list_query.sort
    generation = records._generation
    if sort is None:
        first = await asyncio.to_thread(mirror.first_position, entity, expr)
        self.matches, self.counting = ([] if first is None else [first]), first is not None
    else:  # in another order the first match is known once they all are
        self.matches = await asyncio.to_thread(mirror.positions, entity, expr, sort)
        first = self.matches[0] if self.matches else None
    backend = records.backend if records._generation == generation else None
    if first is not None and backend is not None and records.rows.get(first) is None:
        size = records.page_size  # its page, read now: the row is there to paint
        index = first // size
        page = await backend.list_page(entity, records.list_query, index * size, size)
        records.on_page_loaded(PageLoaded(generation, index, page))
    self._landed(first)
    if self.counting:
        await count_matches(self, mirror, entity, expr)


async def count_matches(self: Finder, mirror: Mirror, entity: str, expr: Expr) -> None:
    """After the landing: every match (the count, n and N), then an n/N pressed meanwhile.

    It starts once the landing's frame is drawn (reading 100k positions shares the
    interpreter with the drawing)."""
    generation = self.records._generation
    drawn = asyncio.Event()
    self.screen.call_after_refresh(drawn.set)
    await drawn.wait()
    try:
        found = await asyncio.to_thread(mirror.positions, entity, expr)
    finally:
        self.counting = False
    if self.records._generation == generation and self.expr is expr and found:
        self.matches = found
    pending, self.pending_step = self.pending_step, 0
    if pending:
        self.step(pending)
    self.refresh_status()
