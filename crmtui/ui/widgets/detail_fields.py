"""The detail pane's field list: a line-API widget that repaints only the lines that changed.

Each screen line is one cached strip, and showing another record repaints only the lines whose
text changed (labels rarely do, values do), so a cursor step in the record list costs the
terminal the changed values, not the whole pane.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from crmtui.model import FieldSpec, Record
from crmtui.ui.widgets.detail_lines import PAD, changed_cells, field_lines, line_key
from crmtui.ui.widgets.record_rows import LineCache


class DetailFields(ScrollView, can_focus=True):
    """The list of fields: the highlighted one is what `c` copies; lines are repainted sparingly."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"detail--highlighted"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="detail.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="detail.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="detail.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="detail.page_down"),
        Binding("home", "edge(0)", "First", show=False, id="detail.first"),
        Binding("end", "edge(1)", "Last", show=False, id="detail.last"),
    ]
    DEFAULT_CSS = """
    DetailFields { height: 1fr; overflow-x: hidden; overflow-y: auto; background: $surface;
                   color: $foreground; scrollbar-gutter: stable; }
    DetailFields:focus { background-tint: $foreground 5%; }
    DetailFields > .detail--highlighted {
        color: $foreground; background: $block-cursor-blurred-background;
    }
    DetailFields:focus > .detail--highlighted {
        color: $block-cursor-foreground; background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.record: Record | None = None
        self.specs: list[FieldSpec] = []
        self.system_names = False
        self._highlighted: int | None = None
        self._rows: list[tuple[int, Text]] = []  # (field index, line) for each content line
        self._keys: list[tuple[Hashable, bool]] = []
        self._starts: list[int] = []  # first content line of each field
        self._width = 0
        self._rewrap_due = False
        self._strips = LineCache()
        self._bases: dict[tuple[bool, bool, object], Style] = {}

    # -- content ---------------------------------------------------------------------------------
    def show(self, record: Record | None, specs: list[FieldSpec], *, keep: bool) -> None:
        """Lay out `record`'s fields; with `keep`, the same field stays highlighted if present."""
        previous = self.selected_spec if keep else None
        self.record = record
        self.specs = specs if record is not None else []
        names = [spec.name for spec in self.specs]
        if not self.specs:
            self._highlighted = None
        elif previous is not None and previous.name in names:
            self._highlighted = names.index(previous.name)
        else:
            self._highlighted = 0
        self._relayout()

    def _relayout(self) -> None:
        """Rebuild the lines and repaint only those that differ from what is on screen."""
        width = self.scrollable_content_region.width
        rows: list[tuple[int, Text]] = []
        starts: list[int] = []
        if self.record is not None:
            console = self.app.console
            for index, spec in enumerate(self.specs):
                starts.append(len(rows))
                lines = field_lines(
                    spec,
                    self.record,
                    system_names=self.system_names,
                    width=width - 2 * PAD,
                    console=console,
                )
                rows.extend((index, line) for line in lines)
        keys = [(line_key(line), index == self._highlighted) for index, line in rows]
        old, old_rows, old_width = self._keys, self._rows, self._width
        self._rows, self._keys, self._starts, self._width = rows, keys, starts, width
        self.virtual_size = Size(width, len(rows))
        changed = [y for y in range(max(len(old), len(keys))) if y >= len(old) or y >= len(keys)]
        self._refresh_content_lines(changed)
        top, height = int(self.scroll_offset.y), self.size.height
        for y in range(min(len(old), len(keys))):
            if old[y] == keys[y] or not top <= y < top + height:
                continue
            if width != old_width or old[y][1] != keys[y][1]:
                self._refresh_content_lines([y])
                continue
            # Only the cells that differ: a value that changed at its end costs those cells.
            start, end = changed_cells(
                self._strip(old[y], old_rows[y][1], width), self._strip(keys[y], rows[y][1], width)
            )
            self.refresh(Region(start, y - top, end - start, 1))
        self._scroll_to_highlight()

    def _refresh_content_lines(self, lines: list[int]) -> None:
        top = int(self.scroll_offset.y)
        height = self.size.height
        width = self.scrollable_content_region.width  # the scrollbar need not be repainted
        for y in sorted(set(lines)):
            if top <= y < top + height:
                self.refresh(Region(0, y - top, width, 1))

    def _field_lines(self, index: int | None) -> list[int]:
        if index is None or not 0 <= index < len(self._starts):
            return []
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self._rows)
        return list(range(self._starts[index], end))

    # -- the highlight ---------------------------------------------------------------------------
    @property
    def highlighted(self) -> int | None:
        """The index of the highlighted field (None when there are none)."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self.specs) - 1)) if self.specs else None
        old, self._highlighted = self._highlighted, index
        if old == index:
            return
        for field in (old, index):
            for y in self._field_lines(field):
                self._keys[y] = (self._keys[y][0], field == index)
        self._refresh_content_lines(self._field_lines(old) + self._field_lines(index))
        self._scroll_to_highlight()

    @property
    def selected_spec(self) -> FieldSpec | None:
        """The highlighted field."""
        index = self._highlighted
        if self.record is None or index is None or not 0 <= index < len(self.specs):
            return None
        return self.specs[index]

    def _scroll_to_highlight(self) -> None:
        lines = self._field_lines(self._highlighted)
        if not lines or not self.size.height:
            return
        top, height = int(self.scroll_offset.y), self.size.height
        first, last = lines[0], lines[-1]
        if first < top or len(lines) > height:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True)

    # -- keys and mouse --------------------------------------------------------------------------
    def action_cursor(self, step: int) -> None:
        """Highlight the field `step` fields away."""
        if self.specs:
            self.highlighted = (self._highlighted or 0) + step

    def action_page(self, direction: int) -> None:
        """Move the highlight by about a screen of lines."""
        if not self._starts or self._highlighted is None:
            return
        target = self._starts[self._highlighted] + direction * max(self.size.height - 1, 1)
        target = max(0, min(target, len(self._rows) - 1))
        self.highlighted = self._rows[target][0]

    def action_edge(self, end: int) -> None:
        """Highlight the first or the last field."""
        if self.specs:
            self.highlighted = len(self.specs) - 1 if end else 0

    def on_click(self, event: events.Click) -> None:
        """A click highlights the field under the mouse."""
        y = int(self.scroll_offset.y) + event.y
        if 0 <= y < len(self._rows):
            self.highlighted = self._rows[y][0]

    def on_resize(self) -> None:
        """A new width wraps the values anew (a new height, or none at all, needs no rewrap)."""
        self._rewrap_due = False
        if self.scrollable_content_region.width == self._width and self._keys:
            return
        self._strips.clear()
        self._bases.clear()
        self._keys = []
        self._relayout()

    def on_focus(self) -> None:
        """Focus changes the background and the highlight style of every line."""
        self.refresh()

    on_blur = on_focus

    # -- rendering -------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        """Screen line `y`: a cached strip per (line text, highlight, focus, width, theme)."""
        width = self.scrollable_content_region.width
        if width != self._width and not self._rewrap_due:  # once, not once per line drawn
            self._rewrap_due = True
            self.call_later(self.on_resize)
        row = int(self.scroll_offset.y) + y
        if not 0 <= row < len(self._rows):
            return Strip.blank(width, self.rich_style)
        return self._strip(self._keys[row], self._rows[row][1], width)

    def _strip(self, key: tuple[Hashable, bool], text: Text, width: int) -> Strip:
        full = (key, self.has_focus, width, self.app.theme)
        return self._strips.get(full, lambda: self._render_row(text, key[1], width))

    def _base(self, selected: bool) -> Style:
        """The pane's style, highlighted or not: looked up once per focus and theme, as the
        strips are cached (the lookup walks every ancestor's styles)."""
        key = (selected, self.has_focus, self.app.theme)
        base = self._bases.get(key)
        if base is None:
            base = self.rich_style
            if selected:
                base += self.get_component_rich_style("detail--highlighted")
            self._bases[key] = base
        return base

    def _render_row(self, text: Text, selected: bool, width: int) -> Strip:
        base = self._base(selected)
        pad = Segment(" " * PAD, base)
        body = [
            Segment(s.text, base + s.style if s.style else base)
            for s in text.render(self.app.console)
            if s.text != "\n"
        ]
        # One segment per run of a style: each segment costs the terminal a style escape.
        return Strip([pad, *body]).adjust_cell_length(width, base).simplify()
