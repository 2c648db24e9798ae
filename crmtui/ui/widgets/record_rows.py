"""Lines of the record list: column widths, default columns, and rows rendered to cached strips."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip

from crmtui.model import EntitySpec, FieldSpec, FieldType, Record, Sort
from crmtui.ui.text import plain

PLACEHOLDER = "…"
MARK = "● "  # the marker column of a marked row (the column exists only while rows are marked)
MARK_WIDTH = 2
_WIDTHS = {
    FieldType.EMAIL: 26,
    FieldType.PHONE: 15,
    FieldType.URL: 22,
    FieldType.TEXT: 24,
    FieldType.INTEGER: 8,
    FieldType.DECIMAL: 10,
    FieldType.BOOLEAN: 5,
    FieldType.DATE: 10,
    FieldType.DATETIME: 19,
    FieldType.CHOICE: 12,
    FieldType.REFERENCE: 10,
}


CAP = 40  # no column is wider than this by itself (wider values end in an ellipsis)
MIN_WIDTH = 3
SAMPLE = 200  # loaded rows measured for the widths
READABLE = 18  # columns are not squeezed under this to fit (the rest scroll sideways)


def column_width(spec: FieldSpec) -> int:
    """A width for a column from its type alone (before any row is loaded)."""
    return max(_WIDTHS.get(spec.type, 16), min(len(spec.label), 14))


def label_widths(columns: list[FieldSpec]) -> list[int]:
    """Each column's label with room for the sort mark."""
    return [cell_len(plain(c.label)) + 2 for c in columns]


def natural_widths(columns: list[FieldSpec], records: Iterable[Record]) -> list[int]:
    """Each column as wide as its label (and sort mark) and its widest value, up to `CAP`.

    With no rows to measure, the type's width stands in for the values.
    """
    labels = label_widths(columns)
    values = [0] * len(columns)
    seen = False
    for record in itertools.islice(records, SAMPLE):
        seen = True
        for i, spec in enumerate(columns):
            values[i] = max(values[i], cell_len(plain(record.values.get(spec.name), spec)))
    if not seen:
        values = [column_width(c) for c in columns]
    return [max(MIN_WIDTH, min(CAP, max(a, b))) for a, b in zip(labels, values, strict=True)]


def fit_widths(
    natural: list[int], fixed: list[int | None], available: int, floors: list[int] | None = None
) -> list[int]:
    """Widths that fit `available` cells where they can: the widest columns give way first.

    `fixed` holds the widths the user set (None: the natural width); `floors` the widths a
    column never goes under (its label). What still does not fit is reached by scrolling the
    columns sideways.
    """
    widths = [f if f is not None else n for n, f in zip(natural, fixed, strict=True)]
    floors = floors or [MIN_WIDTH] * len(widths)
    gaps = max(len(widths) - 1, 0)
    if sum(widths) + gaps <= available:
        return widths
    free = [i for i, f in enumerate(fixed) if f is None]
    budget = available - gaps - sum(w for i, w in enumerate(widths) if i not in free)

    def capped(i: int, cap: int) -> int:
        return max(min(floors[i], widths[i]), min(widths[i], cap))

    low, high = MIN_WIDTH, max((widths[i] for i in free), default=MIN_WIDTH)
    while low < high:  # the largest cap under which the free columns fit
        mid = (low + high + 1) // 2
        if sum(capped(i, mid) for i in free) <= budget:
            low = mid
        else:
            high = mid - 1
    cap = max(low, READABLE)  # tighter than this, scrolling sideways reads better
    return [capped(i, cap) if i in free else w for i, w in enumerate(widths)]


def first_column_for(widths: list[int], first: int, selected: int, available: int) -> int:
    """The first column to draw so that `selected` is wholly on screen (scrolling sideways)."""
    if selected < first:
        return selected
    while first < selected and sum(widths[first : selected + 1]) + (selected - first) > available:
        first += 1
    return first


def column_at(widths: list[int], first: int, x: int) -> int | None:
    """The column drawn at cell `x` of a line (None past the last one's start)."""
    left = 0
    for i in range(first, len(widths)):
        right = left + widths[i] + 1
        if x < right or i == len(widths) - 1:
            return i
        left = right
    return None


def default_columns(
    fields: list[FieldSpec], entity: EntitySpec | None, limit: int = 6
) -> list[str]:
    """Title fields first, then the first short fields, up to `limit` columns."""
    names = [f.name for f in fields]
    chosen = [n for n in (entity.title_fields if entity else ()) if n in names]
    for spec in fields:
        if len(chosen) >= limit:
            break
        if spec.name not in chosen and spec.type is not FieldType.TEXT:
            chosen.append(spec.name)
    return chosen


def row_cells(record: Record | None, columns: list[FieldSpec]) -> list[str]:
    """A row's cells as inert text; a placeholder first cell while the record is on its way."""
    if record is None:
        return [PLACEHOLDER] + ["" for _ in columns[1:]]
    values = record.values
    return [plain(values.get(c.name), c) for c in columns]


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis (as Rich truncates).

    Inert ASCII text (no control characters left) takes one cell a character: no measuring.
    """
    if text.isascii():
        if len(text) <= width:
            return text + " " * (width - len(text))
        return text[: width - 1] + "…" if width > 0 else ""
    length = cell_len(text)
    if length == width:
        return text
    if length < width:
        return text + " " * (width - length)
    if width <= 0:
        return ""
    return set_cell_size(text, width - 1) + "…"


def row_strip(cells: list[str], widths: list[int], width: int, style: Style) -> Strip:
    """A row's cells laid out in their columns (the last one takes the rest of `width`), in one
    style: one segment, so the terminal gets one style escape for the whole row.

    The same layout as `build_strip`, without building Rich text: a screenful of rows is
    drawn on every jump (a find, a page-down), so this is on the path of every such frame.
    """
    parts: list[str] = []
    used = 0
    last_column = len(widths) - 1
    for i, (column_cells, text) in enumerate(zip(widths, cells, strict=False)):
        if used >= width:
            break
        last = i == last_column
        cell_width = max(width - used, 0) if last else column_cells
        fitted = fit(text, cell_width)
        room = width - used
        if cell_width > room:  # the line ends inside this column: cut it at the edge
            parts.append(fitted[:room] if fitted.isascii() else set_cell_size(fitted, room))
            used = width
            break
        parts.append(fitted)
        used += cell_width
        if not last and used < width:
            parts.append(" ")
            used += 1
    line = "".join(parts)  # `used` cells: each part was fitted to its column
    if used < width:
        line += " " * (width - used)
    return Strip([Segment(line, style)], max(width, 0))


def header_cells(
    columns: list[FieldSpec], sort: Sort | None, selected: int | None, selected_style: Style
) -> list[Text]:
    """The column labels, with the sort mark and the selected column styled."""
    cells = []
    for i, spec in enumerate(columns):
        mark = ""
        if sort is not None and sort.field == spec.name:
            mark = " ▼" if sort.descending else " ▲"
        text = Text(plain(spec.label) + mark)
        if i == selected:
            text.stylize(selected_style)
        cells.append(text)
    return cells


def matches(record: Record, columns: list[FieldSpec], needle: str) -> bool:
    """Whether `needle` (casefolded) is in the record's id or one of its shown values."""
    if needle in record.id.casefold():
        return True
    return any(needle in plain(record.values.get(c.name), c).casefold() for c in columns)


def build_strip(
    cells: list[Text], widths: list[int], width: int, style: Style, console: Console
) -> Strip:
    """Cells laid out in their columns (the last one takes the rest of `width`) as one strip."""
    line = Text(no_wrap=True, end="")
    for i, (column_cells, text) in enumerate(zip(widths, cells, strict=False)):
        last = i == len(widths) - 1
        if line.cell_len >= width:
            break
        cell_width = max(width - line.cell_len, 0) if last else column_cells
        text.truncate(cell_width, overflow="ellipsis", pad=True)
        line.append_text(text)
        if not last:
            line.append(" ")
    segments = [
        Segment(s.text, style + s.style if s.style else style) for s in line.render(console)
    ]
    # One segment per run of a style: each segment costs the terminal a style escape.
    return Strip(segments).adjust_cell_length(width, style).simplify()


class LineCache:
    """Rendered rows by a key that names everything they depend on (LRU, a few screens' worth)."""

    def __init__(self, size: int = 1024) -> None:
        self._strips: LRUCache[Hashable, Strip] = LRUCache(size)

    def get(self, key: Hashable, render: Callable[[], Strip]) -> Strip:
        """The strip for `key`, rendered on a miss."""
        strip = self._strips.get(key)
        if strip is None:
            strip = render()
            self._strips.set(key, strip)
        return strip

    def get_cached(self, key: Hashable) -> Strip | None:
        """The strip kept for `key`, if any."""
        return self._strips.get(key)

    def put(self, key: Hashable, strip: Strip) -> None:
        """Keep `strip` for `key`."""
        self._strips.set(key, strip)

    def clear(self) -> None:
        """Forget every line (widths or styles changed)."""
        self._strips.clear()
