"""Find in the record list: `/` takes a filter, the cursor lands on the first match, n/N step.

The list stays whole; the matches are positions in it. A mirrored entity answers from the
local copy (positions from SQL); otherwise the server applies what it can (the list becomes
its answer) and the rest is matched while every page is read, matches shown as they arrive.
Answers from the local copy are in `find_local`, the status line in `find_label`, the
mirror's background sync in `find_sync`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from crmtui.errors import UsageError
from crmtui.model import Query
from crmtui.model.filter import Expr, parse
from crmtui.ui import find_local as local
from crmtui.ui.find_label import status_label
from crmtui.ui.find_local import is_mirror_source
from crmtui.ui.find_sync import MirrorKeeper
from crmtui.ui.messages import PageLoaded
from crmtui.ui.text import plain

if TYPE_CHECKING:  # the mirror (SQLite) and search modules load when first used
    from crmtui.backends.base import Backend
    from crmtui.services.mirror import Mirror
    from crmtui.services.mirror_source import MirrorSource
    from crmtui.ui.screens.main import MainScreen
    from crmtui.ui.widgets.record_list import RecordList

FIND_GROUP = "find"


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
        self.keeper = MirrorKeeper(self)

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
                self.reload_from(self.source(entity.name))
            if not local.land_at_once(self, mirror, entity.name, expr):
                self.run(local.mirror_find(self, mirror, entity.name, expr))
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
            self.run(self._by_id(expr.record_id))
            return
        if not chosen.rest and not chosen.query.text:
            self.every_row = True
            self._landed(0)
            return
        self.run(self._scan(chosen.verify))  # a quick search matches loosely: check it all

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
        self.counting, self.pending_step = False, 0

    def reload_from(self, backend: Backend) -> None:
        """Show the entity afresh from `backend` (the local copy or the vendor)."""
        screen = self.screen
        assert screen.entity is not None
        entity = screen.entity
        if is_mirror_source(backend):
            entity = backend.served(entity)  # type: ignore[attr-defined]
        columns = [c.name for c in self.records.columns]
        query = Query(sort=self.records.list_query.sort)
        self.records.load(backend, entity, screen.fields, columns, query)

    def run(self, work: object) -> None:
        """Run `work` as the find's worker (a newer find cancels it)."""
        self.screen.run_worker(
            work,  # type: ignore[arg-type]
            group=FIND_GROUP,
            exclusive=True,
            exit_on_error=False,
            description="find",
        )

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
            screen.apart = False  # the match is shown, even where the cursor already was
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
            self.pending_step = direction
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
        return status_label(self)

    def refresh_status(self) -> None:
        """Show the label in the status bar."""
        self.screen.status.set_list(self.label(), self.records.pending_pages)

    def start_sync(self) -> None:
        """Fill the mirror, then keep the shown entity fresh (profiles with `mirror = true`)."""
        self.keeper.start()
