"""The record detail pane: every field with its label, values wrapped and shown literally.

The field list (`DetailFields`, re-exported here) lives in detail_fields, its lines' layout in
detail_lines.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from crmtui.model import EntitySpec, FieldSpec, Record
from crmtui.ui.text import plain
from crmtui.ui.widgets.detail_fields import DetailFields
from crmtui.ui.widgets.related import RelatedPanel

__all__ = ["DetailFields", "DetailPane"]

TITLE_LINES = 3  # the title wraps over at most this many lines (max-height in the CSS)


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
