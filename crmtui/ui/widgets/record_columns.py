"""The record list's columns: widths that fit content and space, sideways scrolling to the
selected column, and the keys that resize (<, >), move ([, ]) and hide (-) it, or sort by it
(s, or a click on its header).
"""

from __future__ import annotations

from textual import events
from textual.geometry import Region
from textual.message import Message

from crmtui.model import Capability, Query, Sort
from crmtui.ui.widgets.record_pages import PagedRows
from crmtui.ui.widgets.record_rows import (
    MIN_WIDTH,
    column_at,
    first_column_for,
    fit_widths,
    label_widths,
    natural_widths,
)

STEP = 2  # cells per < or >


class ColumnsChanged(Message):
    """The user moved or hid a column here: the new order, to keep per profile and entity."""

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names


class ColumnedRows(PagedRows):
    """Paged rows laid out in columns the user can select, size, move, hide and sort by."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.first_column = 0
        """The leftmost column drawn (columns scroll sideways to keep the selected one shown)."""
        self.fixed: dict[str, int] = {}
        """Widths set with < and > (by field name), kept while the app runs."""
        self._natural: tuple[tuple[object, ...], list[int]] | None = None
        self._fitted: tuple[tuple[object, ...], list[int]] | None = None

    @property
    def area_width(self) -> int:
        """Cells available to the columns (the marker column takes its share while marking)."""
        return self.scrollable_content_region.width - (2 if getattr(self, "marks", None) else 0)

    def natural(self) -> list[int]:
        """Widths from the labels and the first loaded rows (measured once per load)."""
        names = tuple(c.name for c in self.columns)
        key = (self._generation, names, bool(self.rows))
        if self._natural is None or self._natural[0] != key:
            sample = (r for _, page in self.rows.pages() for r in page)
            self._natural = (key, natural_widths(self.columns, sample))
        return self._natural[1]

    def widths(self) -> list[int]:
        """The width of every column as drawn now."""
        natural = self.natural()
        fixed = [self.fixed.get(c.name) for c in self.columns]
        key = (id(natural), tuple(natural), tuple(fixed), self.area_width)
        if self._fitted is None or self._fitted[0] != key:
            floors = label_widths(self.columns)
            self._fitted = (key, fit_widths(natural, fixed, self.area_width, floors))
        return self._fitted[1]

    def visible_columns(self) -> tuple[int, list[int]]:
        """The first column drawn and the widths of the columns from it on."""
        widths = self.widths()
        first = min(self.first_column, max(len(widths) - 1, 0))
        return first, widths[first:]

    def _relayout(self) -> None:
        self._lines.clear()
        self.refresh()

    def set_columns(self, names: list[str]) -> None:
        """Show the fields named in `names`, in that order, from the first column."""
        self.first_column = 0
        super().set_columns(names)

    # -- keys -------------------------------------------------------------------------------------
    def action_column(self, step: int) -> None:
        """Select the column to the left or right (the one `s` sorts by), scrolled into view."""
        self.column = max(0, min(self.column + step, len(self.columns) - 1))
        first = first_column_for(self.widths(), self.first_column, self.column, self.area_width)
        if first != self.first_column:
            self.first_column = first
            self._relayout()
        else:
            self.refresh(Region(0, 0, self.size.width, 1))  # only the header shows it

    def action_resize(self, step: int) -> None:
        """< and >: the selected column narrower or wider."""
        if not self.columns:
            return
        name = self.columns[self.column].name
        now = self.widths()[self.column]
        self.fixed[name] = max(MIN_WIDTH, now + step * STEP)
        self.first_column = first_column_for(
            self.widths(), self.first_column, self.column, self.area_width
        )
        self._relayout()

    def action_move_column(self, step: int) -> None:
        """[ and ]: move the selected column left or right."""
        here, there = self.column, self.column + step
        if not 0 <= there < len(self.columns):
            return
        names = [c.name for c in self.columns]
        names[here], names[there] = names[there], names[here]
        keep = self.first_column
        self.set_columns(names)
        self.column = there
        self.first_column = first_column_for(self.widths(), keep, there, self.area_width)
        self._relayout()
        self.post_message(ColumnsChanged(names))

    def action_hide_column(self) -> None:
        """-: hide the selected column (the chooser, c, shows it again)."""
        if len(self.columns) <= 1:
            self.notify("The last column stays.", severity="warning")
            return
        names = [c.name for c in self.columns]
        gone = names.pop(self.column)
        keep, column = self.first_column, min(self.column, len(names) - 1)
        self.set_columns(names)
        self.column = column
        self.first_column = first_column_for(self.widths(), keep, column, self.area_width)
        self._relayout()
        label = next((f.label for f in self.fields if f.name == gone), gone)
        self.notify(f"Column {label} hidden; c brings it back.", timeout=3)
        self.post_message(ColumnsChanged(names))

    def action_sort(self) -> None:
        """Sort by the selected column on the server; say so where the vendor cannot."""
        if self.backend is None or self.entity is None or not self.columns:
            return
        entity_says = not self.entity.capabilities or self.entity.can(Capability.SORT)
        if not (self.backend.can(Capability.SORT) and entity_says):
            self.notify(
                f"{self.entity.label} cannot be sorted by the vendor; sorting one page would "
                "mislead, so the order is the vendor's.",
                title="Sort unavailable",
                severity="warning",
            )
            return
        name = self.columns[self.column].name
        current = self.list_query.sort
        descending = current is not None and current.field == name and not current.descending
        self.reload(Query(self.list_query.filters, Sort(name, descending), self.list_query.fields))

    def header_click(self, event: events.Click) -> None:
        """A click on a column's header selects it and sorts by it (again: the other way)."""
        first, widths = self.visible_columns()
        offset = 2 if getattr(self, "marks", None) else 0
        found = column_at(widths, 0, event.x - offset)
        if found is None:
            return
        self.column = first + found
        self.refresh(Region(0, 0, self.size.width, 1))
        self.action_sort()
