"""The record detail pane: every field with its label, values wrapped and shown literally."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from crmtui.model import EntitySpec, FieldSpec, Record, format_value
from crmtui.ui.text import block, plain


def field_prompt(spec: FieldSpec, record: Record, *, system_names: bool) -> RenderableType:
    """One field as shown in the pane: a label line, then its value wrapped and indented."""
    head = Text(plain(spec.label), style="bold")
    if spec.custom:
        head.append(" ◆ custom", style="italic magenta")
    if system_names:
        head.append(f"  {plain(spec.name)}", style="dim")
    value = record.values.get(spec.name)
    blank = format_value(value, spec) == ""
    body = Text("—", style="dim") if blank else block(value, spec)
    return Group(head, Padding(body, (0, 0, 0, 2)))


class DetailOptions(OptionList):
    """The list of fields: the cursor picks the field that `c` copies."""

    DEFAULT_CSS = """
    DetailOptions { height: 1fr; border: none; padding: 0; background: $surface; }
    DetailOptions > .option-list--option { padding: 0 1; }
    """


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
        self._shown_specs: list[FieldSpec] = []

    def compose(self) -> ComposeResult:
        """A title line and the field list."""
        yield Static(Text("No record selected", style="dim"), id="detail-title")
        yield DetailOptions(id="detail-fields")

    @property
    def options(self) -> DetailOptions:
        """The field list."""
        return self.query_one(DetailOptions)

    def show(
        self, record: Record | None, fields: list[FieldSpec], entity: EntitySpec | None
    ) -> None:
        """Show `record` (None clears the pane) with `fields` in order."""
        self.record = record
        self.fields = list(fields)
        self.entity = entity
        self._render_fields(keep=None)

    def _render_fields(self, keep: int | None) -> None:
        title = self.query_one("#detail-title", Static)
        options = self.options
        options.clear_options()
        record = self.record
        if record is None:
            self._shown_specs = []
            title.update(Text("No record selected", style="dim"))
            return
        label = plain(self.entity.label) if self.entity is not None else plain(record.entity)
        heading = Text(f"{label}: ")
        heading.append(plain(record.title(self.entity)))
        heading.append(f" · id {plain(record.id)}", style="dim")
        title.update(heading)
        known = {spec.name for spec in self.fields}
        specs = list(self.fields)
        # Values the backend sent without a description still show, with their system name.
        specs.extend(
            FieldSpec(name=name, label=name) for name in record.values if name not in known
        )
        options.add_options(
            Option(field_prompt(spec, record, system_names=self.system_names), id=f"f{index}")
            for index, spec in enumerate(specs)
        )
        self._shown_specs = specs
        if specs:
            options.highlighted = min(keep or 0, len(specs) - 1)

    @property
    def selected_field(self) -> FieldSpec | None:
        """The field under the cursor."""
        index = self.options.highlighted
        if self.record is None or index is None:
            return None
        specs = self._shown_specs
        return specs[index] if 0 <= index < len(specs) else None

    def action_toggle_system_names(self) -> None:
        """Show or hide each field's system name."""
        self.system_names = not self.system_names
        self._render_fields(keep=self.options.highlighted)

    def action_copy(self) -> None:
        """Copy the selected field's value to the clipboard (OSC 52, so it works over SSH)."""
        spec = self.selected_field
        if self.record is None or spec is None:
            self.notify("No field selected to copy.", severity="warning")
            return
        text = plain(self.record.values.get(spec.name), spec, keep_newlines=True)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {plain(spec.label)}", markup=False, timeout=2)
