"""The record detail pane: every field with its label, values wrapped and shown literally.

The fields are a line-API widget: each screen line is one cached strip, and showing another
record repaints only the lines whose text changed (labels rarely do, values do), so a cursor
step in the record list costs the terminal the changed values, not the whole pane.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from crmtui.model import EntitySpec, FieldSpec, Record, format_value
from crmtui.ui.text import block, plain
from crmtui.ui.widgets.record_rows import LineCache
from crmtui.ui.widgets.related import RelatedPanel

INDENT = 2  # values sit under their label, indented
PAD = 1  # a blank cell either side of every line
TITLE_LINES = 3  # the title wraps over at most this many lines (max-height in the CSS)


def field_texts(spec: FieldSpec, record: Record, *, system_names: bool) -> tuple[Text, Text]:
    """One field as shown in the pane: its label line and its (inert) value."""
    head = Text(plain(spec.label), style="bold")
    if spec.custom:
        head.append(" ◆ custom", style="italic magenta")
    if system_names:
        head.append(f"  {plain(spec.name)}", style="dim")
    value = record.values.get(spec.name)
    blank = format_value(value, spec) == ""
    return head, Text("—", style="dim") if blank else block(value, spec)


def field_lines(
    spec: FieldSpec, record: Record, *, system_names: bool, width: int, console: Console
) -> list[Text]:
    """The field's screen lines at `width` cells: the label, then the value wrapped and indented."""
    head, body = field_texts(spec, record, system_names=system_names)
    lines = []
    for text, indent in ((head, 0), (body, INDENT)):
        for line in text.wrap(console, max(width - indent, 1), overflow="fold"):
            # append_text turns the base style into a span, which Text.render keeps.
            lines.append(Text(" " * indent).append_text(line))
    return lines


def line_key(text: Text) -> Hashable:
    """What a line's look depends on: its characters and their styles."""
    return (text.plain, str(text.style), tuple((s.start, s.end, str(s.style)) for s in text.spans))


def changed_cells(old: Strip, new: Strip) -> tuple[int, int]:
    """The cell range [start, end) outside which two strips of one width look the same."""
    a = [(char, segment.style) for segment in old for char in segment.text]
    b = [(char, segment.style) for segment in new for char in segment.text]
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    start = cell_len("".join(char for char, _ in a[:prefix]))
    tail = cell_len("".join(char for char, _ in a[len(a) - suffix :]))
    width = max(old.cell_length, new.cell_length)
    end = width - tail
    return (start, end) if start < end else (0, width)


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
                   color: $foreground; }
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
        self._strips = LineCache()

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
        if self.scrollable_content_region.width == self._width and self._keys:
            return
        self._strips.clear()
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
        if width != self._width:
            self.call_later(self.on_resize)
        row = int(self.scroll_offset.y) + y
        if not 0 <= row < len(self._rows):
            return Strip.blank(width, self.rich_style)
        return self._strip(self._keys[row], self._rows[row][1], width)

    def _strip(self, key: tuple[Hashable, bool], text: Text, width: int) -> Strip:
        full = (key, self.has_focus, width, self.app.theme)
        return self._strips.get(full, lambda: self._render_row(text, key[1], width))

    def _render_row(self, text: Text, selected: bool, width: int) -> Strip:
        base = self.rich_style
        if selected:
            base += self.get_component_rich_style("detail--highlighted")
        pad = Segment(" " * PAD, base)
        body = [
            Segment(s.text, base + s.style if s.style else base)
            for s in text.render(self.app.console)
            if s.text != "\n"
        ]
        # One segment per run of a style: each segment costs the terminal a style escape.
        return Strip([pad, *body]).adjust_cell_length(width, base).simplify()


class DetailPane(Widget):
    """Shows one record: every field with its label, custom fields marked, values literal."""

    DEFAULT_CSS = """
    DetailPane { layout: vertical; height: 1fr; width: 1fr; background: $surface; }
    DetailPane > #detail-title { height: auto; max-height: 3; padding: 0 1; text-style: bold;
                                 background: $panel; }
    """
    BINDINGS = [
        Binding("s", "toggle_system_names", "System names", id="detail.system_names"),
        Binding("c", "copy", "Copy value", id="detail.copy"),
    ]
    can_focus = False

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.record: Record | None = None
        self.fields: list[FieldSpec] = []
        self.entity: EntitySpec | None = None
        self.system_names = False
        self._heading: Text | None = None

    def compose(self) -> ComposeResult:
        """A title line and the field list."""
        yield Static(Text("No record selected", style="dim"), id="detail-title")
        yield DetailFields(id="detail-fields")
        yield RelatedPanel(id="detail-related")

    @property
    def options(self) -> DetailFields:
        """The field list."""
        return self.query_one(DetailFields)

    def show(
        self, record: Record | None, fields: list[FieldSpec], entity: EntitySpec | None
    ) -> None:
        """Show `record` (None clears the pane) with `fields` in order.

        Within one entity the highlighted field stays where it was.
        """
        same_entity = entity is not None and entity == self.entity
        self.record = record
        self.fields = list(fields)
        self.entity = entity
        self._show_title()
        self.options.show(record, self._specs(), keep=same_entity)
        self.query_one(RelatedPanel).follow(record)

    def _specs(self) -> list[FieldSpec]:
        record = self.record
        if record is None:
            return []
        known = {spec.name for spec in self.fields}
        # Values the backend sent without a description still show, with their system name.
        extra = [FieldSpec(name=name, label=name) for name in record.values if name not in known]
        return [*self.fields, *extra]

    def _show_title(self) -> None:
        record = self.record
        if record is None:
            heading = Text("No record selected", style="dim")
        else:
            label = plain(self.entity.label) if self.entity is not None else plain(record.entity)
            heading = Text(f"{label}: ")
            heading.append(plain(record.title(self.entity)))
            heading.append(f" · id {plain(record.id)}", style="dim")
        if heading == self._heading:
            return
        self._heading = heading
        title = self.query_one("#detail-title", Static)
        width = title.content_region.width
        lines = len(heading.wrap(self.app.console, width)) if width > 0 else 0
        # A new layout repaints the whole pane: only ask for one when the title's height changes.
        title.update(heading, layout=min(max(lines, 1), TITLE_LINES) != title.size.height)

    @property
    def selected_field(self) -> FieldSpec | None:
        """The field under the cursor."""
        return self.options.selected_spec if self.record is not None else None

    def action_toggle_system_names(self) -> None:
        """Show or hide each field's system name."""
        self.system_names = not self.system_names
        fields = self.options
        fields.system_names = self.system_names
        fields.show(self.record, self._specs(), keep=True)

    def action_copy(self) -> None:
        """Copy the selected field's value to the clipboard (OSC 52, so it works over SSH)."""
        spec = self.selected_field
        if self.record is None or spec is None:
            self.notify("No field selected to copy.", severity="warning")
            return
        text = plain(self.record.values.get(spec.name), spec, keep_newlines=True)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {plain(spec.label)}", markup=False, timeout=2)
