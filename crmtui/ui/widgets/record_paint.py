"""How the record list draws: its header and rows as cached strips, worked out once per frame."""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip

from crmtui.model import Record
from crmtui.ui.widgets.record_columns import ColumnedRows
from crmtui.ui.widgets.record_rows import (
    MARK,
    MARK_WIDTH,
    PLACEHOLDER,
    build_strip,
    header_cells,
    row_cells,
    row_strip,
)


class LineContext(NamedTuple):
    """What every line of one frame shares (read once per frame, not once per line)."""

    width: int
    top: int
    first: int
    widths: list[int]
    key: tuple[object, ...]
    marking: bool
    focus: bool


class PaintedRows(ColumnedRows):
    """Rows drawn from the line cache; a miss is one segment in the row's style."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.marks: set[str] = set()
        """Ids of the marked records (a bulk edit's selection); they outlive pages and sorts."""
        self._row_styles: dict[tuple[bool, bool, bool, str], Style] = {}
        self._header_line: tuple[tuple[object, ...], Strip] | None = None
        self._frame: LineContext | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of one frame, sharing one look at the widths, scroll and styles."""
        self._frame = self._line_context()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _line_context(self) -> LineContext:
        first, widths = self.visible_columns()
        width = self.scrollable_content_region.width
        marking = bool(self.marks)
        focus = self.has_focus
        names = tuple(c.name for c in self.columns)
        layout = (first, tuple(widths))
        key: tuple[object, ...] = (self._generation, self._view_token, self.rows.revision)
        key += (width, names, layout, self.app.theme, marking)
        return LineContext(width, int(self.scroll_offset.y), first, widths, key, marking, focus)

    def render_line(self, y: int) -> Strip:
        """Line `y` of the widget: the column header, then the visible rows."""
        frame = self._frame or self._line_context()
        width = frame.width
        if y == 0:
            return self._header(frame)
        index = frame.top + y - 1
        if index >= self.row_count:
            return Strip.blank(width, self.rich_style)
        record = self.record_at(index)
        is_cursor = index == self.cursor
        marked = frame.marking and record is not None and record.id in self.marks
        cursor_key = is_cursor and (frame.focus or None)
        key = (*frame.key, index, record is not None, cursor_key, marked)
        strip = self._lines.get_cached(key)
        if strip is None:
            strip = self._render_row(record, is_cursor, frame, marked)
            self._lines.put(key, strip)
        return strip

    def _row_style(self, placeholder: bool, is_cursor: bool) -> Style:
        """A row's style, worked out once per look of the list (theme, focus, CSS state):
        `rich_style` walks every ancestor, which would cost more than drawing the row."""
        key = (placeholder, is_cursor, self.has_focus, self.app.theme)
        style = self._row_styles.get(key)
        if style is None:
            extra = Style()
            if placeholder:
                extra = self.get_component_rich_style("record-list--placeholder")
            if is_cursor:
                extra += self.get_component_rich_style("record-list--cursor")
            style = self._row_styles[key] = self.rich_style + extra
        return style

    def notify_style_update(self) -> None:
        """Styles changed (a theme, a class, the focus): rows take their new look."""
        super().notify_style_update()
        self._row_styles.clear()
        self._header_line = None

    def _render_row(
        self, record: Record | None, is_cursor: bool, frame: LineContext, marked: bool
    ) -> Strip:
        style = self._row_style(record is None, is_cursor)
        first, widths, width = frame.first, frame.widths, frame.width
        cells = row_cells(record, self.columns)[first:]
        if record is None and first:
            cells[0] = PLACEHOLDER
        if not frame.marking:  # no marker column at all while nothing is marked
            return row_strip(cells, widths, width, style)
        strip = row_strip(cells, widths, width - MARK_WIDTH, style)
        mark_style = style + self.get_component_rich_style("record-list--mark")
        gutter = Segment(MARK if marked else " " * MARK_WIDTH, mark_style if marked else style)
        return Strip.join([Strip([gutter], MARK_WIDTH), strip])

    def _header(self, frame: LineContext) -> Strip:
        """The column header, drawn again only when what it shows changes: a scroll (every
        page-down) leaves it as it was, and drawing it (a Rich render) was a quarter of the
        page-down's frame."""
        selected = self.column if frame.focus else None
        labels = tuple((c.name, c.label) for c in self.columns)
        key: tuple[object, ...] = (frame.width, frame.first, tuple(frame.widths), labels)
        key += (self.list_query.sort, selected, frame.focus, self.app.theme, frame.marking)
        if self._header_line is None or self._header_line[0] != key:
            self._header_line = (key, self._draw_header(frame, selected))
        return self._header_line[1]

    def _draw_header(self, frame: LineContext, selected: int | None) -> Strip:
        width, first, widths = frame.width, frame.first, frame.widths
        chosen = self.get_component_rich_style("record-list--header-selected")
        cells = header_cells(self.columns, self.list_query.sort, selected, chosen)[first:]
        if first and cells:
            cells[0] = Text("‹ ").append_text(cells[0])  # columns hidden to the left
        style = self.rich_style + self.get_component_rich_style("record-list--header")
        if not frame.marking:
            return build_strip(cells, widths, width, style, self.app.console)
        strip = build_strip(cells, widths, width - MARK_WIDTH, style, self.app.console)
        return Strip.join([Strip([Segment(" " * MARK_WIDTH, style)], MARK_WIDTH), strip])
