"""The virtual record list: renders only the visible rows, fetches pages in workers on demand."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size

from crmtui.backends.base import Backend
from crmtui.model import EntitySpec, FieldSpec, Query
from crmtui.ui.messages import RecordHighlighted
from crmtui.ui.widgets.record_columns import ColumnsChanged
from crmtui.ui.widgets.record_pages import FILTER_GROUP, PAGE_GROUP
from crmtui.ui.widgets.record_paint import PaintedRows
from crmtui.ui.widgets.record_rows import (
    PLACEHOLDER,
    column_width,
    default_columns,
)

__all__ = [
    "FILTER_GROUP",
    "PAGE_GROUP",
    "PLACEHOLDER",
    "ColumnsChanged",
    "RecordList",
    "column_width",
    "default_columns",
]


class RecordList(PaintedRows, can_focus=True):
    """Rows of one entity; a row exists on screen only while visible, a page only when needed.

    Loaded pages are kept compact (`PageStore`); a cursor step repaints only the two rows whose
    style changes, so a key press costs the terminal two lines, not the whole list.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-list--header",
        "record-list--header-selected",
        "record-list--cursor",
        "record-list--placeholder",
        "record-list--mark",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("home", "edge(0)", "First", show=False, id="list.first"),
        Binding("end", "edge(1)", "Last", show=False, id="list.last"),
        Binding("left", "column(-1)", "Column left", show=False, id="list.column_left"),
        Binding("right", "column(1)", "Column right", show=False, id="list.column_right"),
        Binding("s", "sort", "Sort", id="list.sort"),
        Binding("less_than_sign", "resize(-1)", "Narrower", show=False, id="list.narrower"),
        Binding("greater_than_sign", "resize(1)", "Wider", show=False, id="list.wider"),
        Binding(
            "left_square_bracket", "move_column(-1)", "Move left", show=False, id="list.move_left"
        ),
        Binding(
            "right_square_bracket", "move_column(1)", "Move right", show=False, id="list.move_right"
        ),
        Binding("minus", "hide_column", "Hide column", show=False, id="list.hide_column"),
        Binding("space", "toggle_mark", "Mark", show=False, id="list.mark"),
        Binding("u", "clear_marks", "Unmark all", show=False, id="list.clear_marks"),
        Binding("escape", "cancel", "Cancel", show=False, id="list.cancel"),
    ]
    DEFAULT_CSS = """
    RecordList { overflow-x: hidden; overflow-y: auto; }
    RecordList > .record-list--header { text-style: bold; background: $panel; }
    RecordList:focus > .record-list--header { color: $accent; }
    RecordList > .record-list--header-selected { text-style: bold reverse; }
    RecordList > .record-list--cursor { background: $block-cursor-blurred-background; }
    RecordList:focus > .record-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    RecordList > .record-list--placeholder { color: $text-muted; }
    RecordList > .record-list--mark { color: $accent; text-style: bold; }
    """

    _height = 0  # the height at the last resize

    def load(
        self,
        backend: Backend,
        entity: EntitySpec,
        fields: list[FieldSpec],
        columns: list[str],
        query: Query | None = None,
    ) -> None:
        """Show another entity (or the same one afresh): its marks start empty."""
        self.marks = set()
        super().load(backend, entity, fields, columns, query)

    # -- marks -----------------------------------------------------------------------------------
    def action_toggle_mark(self) -> None:
        """Space: mark (or unmark) the record under the cursor, then step down."""
        record = self.current
        if record is None:
            return
        had_marks = bool(self.marks)
        self.marks.symmetric_difference_update({record.id})
        if had_marks != bool(self.marks):
            self.refresh()  # the marker column appears or goes: every line moves
        else:
            self._refresh_rows(self.cursor)
        self._post_status()
        self.action_cursor(1)

    def action_clear_marks(self) -> None:
        """Unmark every record."""
        if self.marks:
            self.marks = set()
            self.refresh()
            self._post_status()

    def set_marks(self, ids: Iterable[str]) -> None:
        """Mark exactly the records `ids` (e.g. the ones a bulk edit could not change)."""
        self.marks = {i for i in ids if i}
        self.refresh()
        self._post_status()

    def status_label(self) -> str:
        """How much the list holds, and how many records are marked."""
        label = super().status_label()
        return f"{label} · {len(self.marks):,} marked" if self.marks else label

    # -- keys ------------------------------------------------------------------------------------
    def action_cursor(self, step: int) -> None:
        """Move the cursor by `step` rows."""
        self._paused = False
        self.cursor = max(0, min(self.cursor + step, self.row_count - 1))

    def action_page(self, direction: int) -> None:
        """Move the cursor and the view by one screen."""
        self.action_cursor(direction * max(self.size.height - 2, 1))

    def action_edge(self, end: int) -> None:
        """Go to the first row, or to the last one the list knows of."""
        self.action_cursor(-self.cursor if not end else self.row_count)

    def action_cancel(self) -> None:
        """Escape: cancel the pages on their way, else clear a local filter."""
        if self.cancel_loads():
            self._paused = True
            self._post_status()
            self.notify("Loading cancelled; move to load again.", timeout=3)
        elif self.view is not None or self.filter_text:
            self.filter_loaded("")

    def watch_cursor(self, old: int, new: int) -> None:
        """Keep the cursor on screen, fetch what it needs, tell the detail pane.

        Without a scroll only the old and the new cursor rows are repainted.
        """
        top = int(self.scroll_offset.y)
        visible = max(self.size.height - 1, 1)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False, immediate=True)
        if int(self.scroll_offset.y) != top:
            self.refresh()
        else:
            self._refresh_rows(old)
            self._refresh_rows(new)
        self.want_pages()
        self.post_message(RecordHighlighted(self.current, moved=old != new))

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Scrolling (by mouse too) fetches the rows that come into view."""
        super().watch_scroll_y(old, new)
        self.want_pages()

    def on_click(self, event: events.Click) -> None:
        """A click on a row puts the cursor there; a click on a header sorts by that column."""
        if event.y == 0:
            self.header_click(event)
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if 0 <= index < self.row_count:
            self._paused = False
            self.cursor = index

    def on_resize(self) -> None:
        """Widths change the rendered lines; heights change what is visible."""
        self.virtual_size = Size(self.size.width, self.row_count + 1)
        self.first_column = 0
        self._lines.clear()
        # Made shorter (a detail unfolded under it): a cursor row that was in sight stays so.
        # (A resize also follows a change of the rows; a row scrolled away from stays away.)
        top, was = int(self.scroll_offset.y), max(self._height - 1, 1)
        self._height, visible = self.size.height, max(self.size.height - 1, 1)
        if visible < was and top + visible <= self.cursor < top + was:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)
        self.want_pages()

    def on_focus(self) -> None:
        """The cursor style and the header's selected column follow the focus."""
        self.refresh(Region(0, 0, self.size.width, 1))
        self._refresh_rows(self.cursor)

    on_blur = on_focus
