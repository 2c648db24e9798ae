"""Find in the record list: `/` takes a filter, the cursor lands on the first match, n/N step.

The list stays whole; the matches are positions in it. A mirrored entity answers from the
local copy (positions from SQL); otherwise the server applies what it can (the list becomes
its answer) and the rest is matched while every page is read, matches shown as they arrive.
The finder also keeps the mirror filled and fresh in the background, with its progress in
the status bar.
"""

from __future__ import annotations

import asyncio
import sys
import time
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, cast

from crmtui.errors import CrmError, UsageError, describe
from crmtui.model import Page, Query
from crmtui.model.filter import Expr, parse
from crmtui.ui.messages import PageLoaded
from crmtui.ui.text import plain

if TYPE_CHECKING:  # the mirror (SQLite) and search modules load when first used
    from crmtui.backends.base import Backend
    from crmtui.services.mirror import Mirror
    from crmtui.services.mirror_source import MirrorSource
    from crmtui.services.mirror_sync import SyncProgress
    from crmtui.ui.screens.main import MainScreen
    from crmtui.ui.widgets.record_list import RecordList

FIND_GROUP = "find"
SYNC_GROUP = "mirror-sync"
REFRESH_EVERY = 60.0  # seconds between background refreshes of the shown entity's copy
START_AFTER = 2.0  # seconds after the first page is shown before the first sync
FIRST_PAGE_WAIT = 30.0  # seconds the sync waits at most for that first page
PROGRESS_EVERY = 1.0  # seconds between redraws of the sync's progress
QUICK = 0.015  # seconds the local copy may take to answer a find in the UI's own thread


def is_mirror_source(backend: object) -> bool:
    """Whether `backend` is a local copy (none exists before the mirror modules are loaded)."""
    module = sys.modules.get("crmtui.services.mirror_source")
    return module is not None and isinstance(backend, module.MirrorSource)


class Finder:
    """The find state of one main screen."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.expr: Expr | None = None
        self.matches: list[int] = []
        self.every_row = False  # the server applied the whole filter: each row is a match
        self.scanning = False
        self.read = 0
        self.read_total: int | None = None
        self.sync_note = ""
        self.server_filtered = False
        self.landing = False  # a find submitted, its cursor not placed yet (commands wait)
        self._source: MirrorSource | None = None

    # -- the list's source -----------------------------------------------------------------------
    @property
    def mirror(self) -> Mirror | None:
        """The session's mirror (profiles with `mirror = true`)."""
        if not getattr(self.screen.session.profile, "mirror", False):
            return None
        from crmtui.services.mirror_sync import mirror_for

        return mirror_for(self.screen.session)

    def source(self, entity: str) -> Backend:
        """What the list reads `entity` from: the local copy when complete, else the vendor."""
        mirror = self.mirror
        if mirror is not None and mirror.ready(entity):
            if self._source is None:
                from crmtui.services.mirror_source import MirrorSource

                self._source = MirrorSource(self.screen.session.backend, mirror)
            return self._source
        return self.screen.session.backend

    @property
    def records(self) -> RecordList:
        """The screen's record list."""
        return self.screen.records

    def from_mirror(self) -> bool:
        """Whether the list shows the local copy."""
        return is_mirror_source(self.records.backend)

    # -- find ------------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """Whether a filter is in force."""
        return self.expr is not None

    def submit(self, text: str) -> None:
        """Find `text`; empty text clears the find."""
        screen, entity = self.screen, self.screen.entity
        if entity is None:
            return
        if not text.strip():
            self.clear()
            return
        try:
            expr = parse(text, screen.fields, entity)
        except UsageError as exc:
            screen.notify(plain(str(exc)), title="Filter", severity="error", timeout=8)
            return
        if not expr:
            self.clear()
            return
        self._reset()
        self.expr, self.landing = expr, True
        records = self.records
        self.screen.call_after_refresh(self._mark_filtered, text)
        mirror = self.mirror
        if mirror is not None and mirror.ready(entity.name):
            if not self.from_mirror():
                self._reload(self.source(entity.name))
            if not self._land_at_once(mirror, entity.name, expr):
                self._run(self._mirror_find(mirror, entity.name, expr))
            return
        from crmtui.services import search

        backend = self.screen.session.backend
        sort = records.list_query.sort
        chosen = search.plan(backend, entity.name, expr, sort=sort)
        server = bool(chosen.query.filters or chosen.query.text)
        if server or self.server_filtered:
            query = Query(chosen.query.filters, sort, records.list_query.fields, chosen.query.text)
            self.server_filtered = server
            records.reload(query)
        if expr.record_id is not None and not chosen.rest and not server:
            self._run(self._by_id(expr.record_id))
            return
        if not chosen.rest and not chosen.query.text:
            self.every_row = True
            self._landed(0)
            return
        self._run(self._scan(chosen.verify))  # a quick search matches loosely: check it all

    def _mark_filtered(self, text: str) -> None:
        """The list knows a filter is in force, so its escape clears it (with the bar)."""
        if self.expr is not None:
            self.records.filter_text = text

    def clear(self) -> None:
        """Drop the filter: the bar empties and closes, the list shows everything again."""
        self.screen.workers.cancel_group(self.screen, FIND_GROUP)
        had_server = self.server_filtered
        self._reset()
        self.expr, self.landing = None, False
        self.screen.find_cleared()
        self.server_filtered = False
        self.records.filter_text = ""
        bar = self.screen.search_bar
        bar.value = ""
        bar.remove_class("-open")
        if had_server:
            records = self.records
            records.reload(Query((), records.list_query.sort, records.list_query.fields))
        self.screen.records.focus()
        self.refresh_status()

    def _reset(self) -> None:
        self.screen.workers.cancel_group(self.screen, FIND_GROUP)
        self.matches, self.every_row, self.scanning = [], False, False
        self.read, self.read_total = 0, None
        self.counting, self._pending_step = False, 0

    def _reload(self, backend: Backend) -> None:
        screen = self.screen
        assert screen.entity is not None
        entity = screen.entity
        if is_mirror_source(backend):
            entity = backend.served(entity)  # type: ignore[attr-defined]
        columns = [c.name for c in self.records.columns]
        query = Query(sort=self.records.list_query.sort)
        self.records.load(backend, entity, screen.fields, columns, query)

    def _run(self, work: object) -> None:
        self.screen.run_worker(
            work,  # type: ignore[arg-type]
            group=FIND_GROUP,
            exclusive=True,
            exit_on_error=False,
            description="find",
        )

    def _land_at_once(self, mirror: Mirror, entity: str, expr: Expr) -> bool:
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
            self._run(self._count_matches(mirror, entity, expr))
        return True

    async def _mirror_find(self, mirror: Mirror, entity: str, expr: Expr) -> None:
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
            await self._count_matches(mirror, entity, expr)

    async def _count_matches(self, mirror: Mirror, entity: str, expr: Expr) -> None:
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
        pending, self._pending_step = self._pending_step, 0
        if pending:
            self.step(pending)
        self.refresh_status()

    async def _by_id(self, record_id: str) -> None:
        if self.records.move_to_id(record_id):
            self.matches = [self.records.cursor]
            self._landed(self.records.cursor)
            return
        self.screen.fetch_record(record_id)

    async def _scan(self, rest: Expr) -> None:
        from crmtui.services.scan import scan

        records = self.records
        backend, entity = records.backend, records.entity
        assert backend is not None and entity is not None
        specs = {f.name: f for f in self.screen.fields}
        generation = records._generation
        self.scanning = True
        self.refresh_status()
        try:
            steps = scan(
                backend, entity.name, records.list_query, rest, specs, page_size=records.page_size
            )
            async for step in steps:
                if records._generation != generation:
                    return
                records.post_message(
                    PageLoaded(generation, step.page.offset // records.page_size, step.page)
                )
                self.read, self.read_total = step.read, step.total
                if step.hits:
                    first = not self.matches
                    self.matches.extend(step.hits)
                    if first:
                        self._landed(self.matches[0])
                self.refresh_status()
        finally:
            self.scanning = False
            self.refresh_status()
        if not self.matches:
            self._landed(None)

    def _landed(self, row: int | None) -> None:
        """Put the cursor on `row` (the first match) and show it in the detail pane."""
        screen = self.screen
        self.landing = False
        if row is None:
            screen.notify("No match.", timeout=3)
        else:
            # the row is painted first; the detail pane (a rebuild) follows a moment later
            screen.defer_detail()
            self.records.cursor = row
            if screen.has_class("-narrow"):
                screen.add_class("-show-detail")
        self.records.focus()
        self.refresh_status()
        screen.find_landed(row is not None)

    def step(self, direction: int) -> bool:
        """n / N: the next or previous match; False when no filter is in force."""
        if not self.active:
            return False
        records = self.records
        here = records.cursor
        if self.every_row:
            records.action_cursor(direction)
            return True
        if self.counting:  # the next match is not known yet: taken when it is
            self._pending_step = direction
            return True
        if not self.matches:
            return True
        matches = self.matches  # ascending: the list's order
        if direction > 0:
            at = bisect_right(matches, here)
            target = matches[at] if at < len(matches) else matches[0]
        else:
            at = bisect_left(matches, here)
            target = matches[at - 1] if at > 0 else matches[-1]
        records.cursor = target
        return True

    # -- the status line -------------------------------------------------------------------------
    def label(self) -> str:
        """'row 1,234 of 48,213 · match 3 of 17 · local copy, synced 2 min ago'."""
        records = self.records
        count = records.row_count
        known = records.total if records.total is not None else records.end
        parts: list[str] = []
        if count == 0:
            parts.append("no rows")
        else:
            of = f"{known:,}" if known is not None else f"{len(records.rows):,}+"
            parts.append(f"row {records.cursor + 1:,} of {of}")
        if self.active:
            parts.append(self._match_label(count))
        if self.from_mirror() and self.mirror is not None and records.entity is not None:
            synced = self.mirror.synced_at(records.entity.name)
            if synced is not None:
                from crmtui.services.mirror import ago

                parts.append(f"local copy, synced {ago(time.time() - synced)}")
        if self.sync_note:
            parts.append(self.sync_note)
        if records.marks:
            parts.append(f"{len(records.marks):,} marked")
        return " · ".join(parts)

    def _match_label(self, count: int) -> str:
        if self.every_row:
            return f"{count:,} match{'es' if count != 1 else ''}"
        total = len(self.matches)
        cursor = self.records.cursor
        at = bisect_left(self.matches, cursor)
        if self.counting:
            text = "match 1, counting the others…" if total else "counting matches…"
        elif at < total and self.matches[at] == cursor:
            text = f"match {at + 1:,} of {total:,}"
        else:
            text = f"{total:,} match{'es' if total != 1 else ''}"
        if self.scanning:
            of = f"/{self.read_total:,}" if self.read_total else ""
            text += f" so far, scanning {self.read:,}{of} (esc stops)"
        return text

    def refresh_status(self) -> None:
        """Show the label in the status bar."""
        self.screen.status.set_list(self.label(), self.records.pending_pages)

    # -- the mirror's background sync ------------------------------------------------------------
    def start_sync(self) -> None:
        """Fill the mirror, then keep the shown entity fresh (profiles with `mirror = true`)."""
        if self.mirror is None:
            return
        self.screen.run_worker(
            self._sync_loop(), group=SYNC_GROUP, exclusive=True, exit_on_error=False,
            description="mirror sync",
        )  # fmt: skip

    async def _sync_loop(self) -> None:
        from crmtui.services.mirror_sync import mirrorable

        mirror = self.mirror
        assert mirror is not None
        backend = self.screen.session.backend
        if REFRESH_EVERY > 0:
            await self._first_page_shown()
            await asyncio.sleep(START_AFTER)
        while True:
            shown = self.screen.entity.name if self.screen.entity else None
            try:
                names = await mirrorable(backend)
            except CrmError:
                names = []
            order = [n for n in [shown, *names] if n in names]
            for name in dict.fromkeys(order):
                try:
                    await self._sync_one(backend, mirror, name)
                except CrmError as exc:  # one entity failing leaves the others to sync
                    self.sync_note = f"mirror: {name}: {describe(exc).title.lower()}"
                    self.refresh_status()
            if REFRESH_EVERY <= 0:
                return  # tests: once
            await asyncio.sleep(REFRESH_EVERY)

    async def _first_page_shown(self, most: float = FIRST_PAGE_WAIT) -> None:
        """Wait until the list has its first page (or `most` seconds): start-up comes first."""
        deadline = time.monotonic() + most
        while time.monotonic() < deadline:
            if self.screen.is_mounted and self.screen.entity is not None:
                records = self.screen.records
                if records.rows or records.total is not None or records.end is not None:
                    return
            await asyncio.sleep(0.1)

    async def _sync_one(self, backend: Backend, mirror: Mirror, entity: str) -> None:
        from crmtui.services.mirror_sync import sync_entity

        was_ready = mirror.ready(entity)

        shown = [0.0]

        def progress(p: SyncProgress) -> None:
            now = time.monotonic()
            if now - shown[0] < PROGRESS_EVERY:  # the status line is redrawn once a second
                return
            shown[0] = now
            self.sync_note = p.label() if p.full else ""
            self.refresh_status()

        await sync_entity(backend, mirror, entity, on_progress=progress, concurrency=2)
        self.sync_note = ""
        screen = self.screen
        if not was_ready and screen.entity is not None and screen.entity.name == entity:
            # a record shown apart (found elsewhere, opened by id) stays shown: no reload
            apart = screen.shown is not None and screen.shown is not self.records.current
            if (
                not self.active
                and self.records.cursor == 0
                and not self.from_mirror()
                and not apart
            ):
                self._reload(self.source(entity))
            screen.notify(f"Local copy of {plain(screen.entity.label)} ready.", timeout=3)
        self.refresh_status()
