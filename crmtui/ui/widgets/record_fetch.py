"""The record list's pages: fetched in workers around the screen and ahead of the cursor."""

from __future__ import annotations

import time

from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.worker import Worker

from crmtui.backends.base import Backend
from crmtui.model import EntitySpec, FieldSpec, Page, Query, Record, count_label
from crmtui.services.paging import fetch_page, take_ready
from crmtui.ui.messages import (
    ListError,
    ListStatus,
    PageFailed,
    PageLoaded,
    RecordHighlighted,
)
from crmtui.ui.page_store import PageStore
from crmtui.ui.text import plural
from crmtui.ui.widgets.record_prefetch import Prefetch
from crmtui.ui.widgets.record_rows import LineCache

PAGE_GROUP = "record-pages"
FILTER_GROUP = "record-filter"


class PageFetcher(ScrollView):
    """Rows of one entity by index: a page is fetched only when needed and kept compact.

    `rows` holds the loaded rows (`PageStore`: compressed pages, a few decoded near the
    cursor); `view` is a local filter's matches. Changes repaint only the rows they touch.
    Which pages are wanted is `Prefetch`'s call: the screen, and ahead of a paging cursor.
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    column: reactive[int] = reactive(0, repaint=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.backend: Backend | None = None
        self.entity: EntitySpec | None = None
        self.fields: list[FieldSpec] = []
        self.columns: list[FieldSpec] = []
        self.list_query = Query()
        self.page_size = 100
        self.rows = PageStore()
        """The loaded rows by index, compact (a Mapping[int, Record])."""
        self.total: int | None = None
        self.end: int | None = None  # the row count, once the last page has been seen
        self.view: list[int] | None = None  # a local filter: indexes of matching loaded rows
        self.filter_text = ""
        self.inflight: dict[int, Worker[None]] = {}
        self._done_pages: set[int] = set()
        self._failed_pages: set[int] = set()
        self._generation = 0
        self._view_token = 0
        self._paused = False
        self._want_scheduled = False
        self.prefetch = Prefetch()
        """Which rows to fetch around the cursor, from its speed and the vendor's round trips."""
        self._asked: dict[int, float] = {}  # pages on their way: when they were asked for
        self._last_status: tuple[str, int] | None = None
        self._lines = LineCache()

    # -- loading ---------------------------------------------------------------------------------
    def load(
        self,
        backend: Backend,
        entity: EntitySpec,
        fields: list[FieldSpec],
        columns: list[str],
        query: Query | None = None,
    ) -> None:
        """Show `entity` by `query` from its first row; pages are fetched as they are needed."""
        self.backend, self.entity, self.fields = backend, entity, fields
        self.page_size = max(1, min(100, backend.max_page_size))
        self.set_columns(columns)
        self.reload(query if query is not None else Query())

    def reload(self, query: Query | None = None) -> None:
        """Forget every row and start again (with a new query, e.g. a sort or a search)."""
        self.cancel_loads()
        self.workers.cancel_group(self, FILTER_GROUP)
        if query is not None:
            self.list_query = query
        self._generation += 1
        self.rows.clear()
        self.total, self.end, self.view, self.filter_text = None, None, None, ""
        self._done_pages.clear()
        self._failed_pages.clear()
        self._paused = False
        self.prefetch.reset()
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self._changed()
        if self.backend is not None and self.entity is not None:
            # a first page fetched while the screen was built: placed now, so the screen's first
            # frame shows rows rather than placeholders followed by a frame for the rows
            page = take_ready(self.backend, self.entity.name, self.list_query, 0, self.page_size)
            if page is not None:
                self._place(0, page)
        self.want_pages()  # the first page needs no size: asked for before the first layout

    def set_columns(self, names: list[str]) -> None:
        """Show the fields named in `names`, in that order (unknown names are skipped)."""
        by_name = {f.name: f for f in self.fields}
        self.columns = [by_name[n] for n in names if n in by_name] or self.fields[:1]
        self.column = min(self.column, max(len(self.columns) - 1, 0))
        self._changed()

    def cancel_loads(self) -> int:
        """Cancel the pages on their way; returns how many were cancelled."""
        count = len(self.inflight)
        for worker in self.inflight.values():
            worker.cancel()
        self.inflight.clear()
        self._asked.clear()
        return count

    @property
    def failed_pages(self) -> bool:
        """Whether a page of this list failed (it is not retried until the user moves)."""
        return bool(self._failed_pages)

    @property
    def pending_pages(self) -> int:
        """Pages on their way."""
        return len(self.inflight)

    @property
    def row_count(self) -> int:
        """Rows the list shows: the filter's matches, else the total, else what is known so far."""
        if self.view is not None:
            return len(self.view)
        if self.total is not None:
            return self.total
        if self.end is not None:
            return self.end
        if not self.rows:
            return 0
        return self.rows.extent + self.page_size  # a page of placeholders: there may be more

    def record_at(self, index: int) -> Record | None:
        """The record shown at display row `index`, or None while it is on its way."""
        if self.view is not None:
            return self.rows.get(self.view[index]) if 0 <= index < len(self.view) else None
        return self.rows.get(index)

    @property
    def current(self) -> Record | None:
        """The record under the cursor."""
        return self.record_at(self.cursor)

    def status_label(self) -> str:
        """How much the list holds, honestly."""
        if self.view is not None:
            found = plural(len(self.view), "match", "matches")
            return f"{found} · filter over {len(self.rows):,} loaded rows"
        return count_label(len(self.rows), self.total if self.total is not None else self.end)

    def want_pages(self) -> None:
        """Fetch the pages around the viewport and ahead of the cursor (coalesced per refresh)."""
        if not self._want_scheduled:
            self._want_scheduled = True
            self.call_later(self._fetch_wanted)

    def _fetch_wanted(self) -> None:
        self._want_scheduled = False
        if self.backend is None or self.entity is None or self.view is not None or self._paused:
            return
        size = self.page_size
        start, stop = self.prefetch.rows(
            self.cursor,
            int(self.scroll_offset.y),
            max(self.size.height - 1, 1),
            size,
            time.monotonic(),
        )
        wanted = set(range(start // size, max(stop - 1, start) // size + 1))
        if not self._done_pages and not self._failed_pages:  # the first page alone: awaited
            wanted = {0}
        known = self.total if self.total is not None else self.end
        if known is not None:
            wanted = {p for p in wanted if p * size < known}
        for page in [p for p in self.inflight if p not in wanted]:
            if not self.prefetch.keeps(page, self.cursor, size):
                self.inflight.pop(page).cancel()  # the user jumped away: spend no calls on it
                self._asked.pop(page, None)
        todo = wanted - self._done_pages - self._failed_pages - set(self.inflight)
        for page in sorted(todo, key=lambda p: abs(p * size - self.cursor)):
            self._asked[page] = time.monotonic()
            self.inflight[page] = self.run_worker(
                self._fetch(self._generation, page),
                group=PAGE_GROUP,
                description=f"{self.entity.name} page {page}",
                exit_on_error=False,
            )
        self._post_status()

    async def _fetch(self, generation: int, page: int) -> None:
        assert self.backend is not None and self.entity is not None
        offset = page * self.page_size
        try:
            result = await fetch_page(
                self.backend, self.entity.name, self.list_query, offset, self.page_size
            )
        except Exception as exc:
            self.post_message(PageFailed(generation, page, exc))
        else:
            self.post_message(PageLoaded(generation, page, result))

    def on_page_loaded(self, event: PageLoaded) -> None:
        """Place a page's rows; learn the total or the end."""
        if event.generation != self._generation:
            return
        self.inflight.pop(event.page_index, None)
        asked = self._asked.pop(event.page_index, None)
        if asked is not None:
            self.prefetch.took(time.monotonic() - asked)
        self._place(event.page_index, event.page)

    def _place(self, index: int, page: Page) -> None:
        """Put page `index`'s rows in the list; learn the total or the end."""
        self._done_pages.add(index)
        self.rows.put(page.offset, page.records)
        if page.total is not None:
            self.total = page.total
        if page.next_offset is None:  # pages fetched ahead past the end come back empty
            end = page.offset + len(page.records)
            self.end = end if self.end is None else min(self.end, end)
        self._changed(page.offset, page.offset + self.page_size)
        self.want_pages()

    def on_page_failed(self, event: PageFailed) -> None:
        """Remember the failure (no retry loop) and tell the screen."""
        if event.generation != self._generation:
            return
        self.inflight.pop(event.page_index, None)
        self._asked.pop(event.page_index, None)
        self._failed_pages.add(event.page_index)
        self._post_status()
        self.post_message(ListError(event.error))

    def _changed(self, start: int | None = None, stop: int | None = None) -> None:
        """Rows changed: all of them, or only display rows [start, stop) (a page arriving)."""
        size = Size(self.size.width, self.row_count + 1)
        grew = size != self.virtual_size  # rows past the old end turn into placeholders
        self.virtual_size = size
        if start is None or stop is None or self.view is not None or grew:
            self.refresh()
        else:
            top = int(self.scroll_offset.y)
            first, last = max(start, top), min(stop, top + max(self.size.height - 1, 0))
            if first < last:
                self._refresh_rows(first, last - first)
        self._post_status()
        self.post_message(RecordHighlighted(self.current, moved=False))

    def _refresh_rows(self, index: int, count: int = 1) -> None:
        """Repaint display rows from `index` (only the lines on screen reach the terminal)."""
        y = index - int(self.scroll_offset.y) + 1  # line 0 is the column header
        self.refresh(Region(0, y, self.size.width, count))

    def _post_status(self) -> None:
        status = (self.status_label(), self.pending_pages)
        if status != self._last_status:  # an unchanged status would repaint the status bar
            self._last_status = status
            self.post_message(ListStatus(*status))
