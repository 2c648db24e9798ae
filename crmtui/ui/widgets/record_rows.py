"""Lines of the record list: column widths, default columns, and rows rendered to cached strips."""

from __future__ import annotations

from collections.abc import Callable, Hashable

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


def column_width(spec: FieldSpec) -> int:
    """A fixed width for a column, from its type (never from the data, which is mostly unknown)."""
    return max(_WIDTHS.get(spec.type, 16), min(len(spec.label), 14))


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


def row_cells(record: Record | None, columns: list[FieldSpec]) -> list[Text]:
    """A row's cells as inert text; a placeholder first cell while the record is on its way."""
    if record is None:
        return [Text(PLACEHOLDER)] + [Text("") for _ in columns[1:]]
    return [Text(plain(record.values.get(c.name), c)) for c in columns]


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
    cells: list[Text], columns: list[FieldSpec], width: int, style: Style, console: Console
) -> Strip:
    """Cells laid out in their columns (the last one takes the rest of `width`) as one strip."""
    line = Text(no_wrap=True, end="")
    for i, (spec, text) in enumerate(zip(columns, cells, strict=False)):
        last = i == len(columns) - 1
        cell_width = max(width - line.cell_len, 0) if last else column_width(spec)
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

    def clear(self) -> None:
        """Forget every line (widths or styles changed)."""
        self._strips.clear()
