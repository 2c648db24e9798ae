"""The record list's loaded rows: changed in place (an edit, a delete) and filtered locally."""

from __future__ import annotations

import asyncio

from textual.worker import Worker

from crmtui.model import Record
from crmtui.ui.messages import SearchSubmitted
from crmtui.ui.widgets.record_fetch import FILTER_GROUP, PAGE_GROUP, PageFetcher
from crmtui.ui.widgets.record_rows import matches

__all__ = ["FILTER_GROUP", "PAGE_GROUP", "PagedRows"]


class PagedRows(PageFetcher):
    """Rows fetched a page at a time (`PageFetcher`), kept true to the server after local
    changes, and filtered over the loaded rows without a request."""

    def replace_record(self, record: Record) -> bool:
        """Show `record` in place of the loaded row with the same id; False when not loaded."""
        index = self.rows.find(record.id)
        if index is None:
            return False
        self.rows.replace(index, record)
        self._changed()
        return True

    def remove_record(self, record_id: str) -> bool:
        """Drop a deleted record; the rows after it move up as they do on the server."""
        found = self.rows.find(record_id)
        if found is None:
            return False
        self.rows.remove(found)
        self.total = None if self.total is None else max(self.total - 1, 0)
        self.end = None if self.end is None else max(self.end - 1, 0)
        if self.view is not None:
            self.view = [i - 1 if i > found else i for i in self.view if i != found]
            self._view_token += 1
        self.cursor = min(self.cursor, max(self.row_count - 1, 0))
        self._changed()
        return True

    def filter_loaded(self, text: str) -> Worker[None] | None:
        """Show only loaded rows whose shown values contain `text` (empty text: no filter).

        The loaded rows are compact pages: they are decoded one page at a time in a worker that
        yields between pages, so keys keep working over a filter of 100,000 rows.
        """
        self.workers.cancel_group(self, FILTER_GROUP)
        had, self.filter_text = self.filter_text, text
        if not text:
            if self.view is not None:
                self._show_view(None)
            if had:  # the screen's filter (and its search bar) clears with it
                self.post_message(SearchSubmitted(""))
            return None
        return self.run_worker(
            self._filter(self._generation, text),
            group=FILTER_GROUP,
            description="filter loaded rows",
            exit_on_error=False,
        )

    async def _filter(self, generation: int, text: str) -> None:
        needle, columns = text.casefold(), list(self.columns)
        found: list[int] = []
        for start, records in self.rows.pages():
            found.extend(start + i for i, r in enumerate(records) if matches(r, columns, needle))
            await asyncio.sleep(0)
        if generation == self._generation and text == self.filter_text:
            self._show_view(found)

    def _show_view(self, view: list[int] | None) -> None:
        self.view = view
        self._view_token += 1
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self._changed()

    def move_to_id(self, record_id: str) -> bool:
        """Put the cursor on the loaded record `record_id`; False when it is not loaded."""
        index = self.rows.find(record_id)
        if index is not None and self.view is not None:
            index = self.view.index(index) if index in self.view else None
        if index is None:
            return False
        self.cursor = index
        return True
