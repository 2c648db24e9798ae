"""The edit form's keys: letters stay in the form, the focused field stays on screen, Enter moves
on, ctrl+f goes to a field by its label, ctrl+e edits a text in $EDITOR.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input

from crmtui.model import FieldSpec, Record
from crmtui.ui.external import edit_externally
from crmtui.ui.text import plain
from crmtui.ui.widgets.form_fields import FormField


def unique_fields(fields: list[FieldSpec]) -> tuple[list[FieldSpec], list[str]]:
    """Each field once (the first of a repeated name), and the names the vendor repeated."""
    seen: set[str] = set()
    kept: list[FieldSpec] = []
    repeated: list[str] = []
    for spec in fields:
        if spec.name in seen:
            if spec.name not in repeated:
                repeated.append(spec.name)
            continue
        seen.add(spec.name)
        kept.append(spec)
    return kept, repeated


class FormKeys(Screen[Record | None]):
    """Keys shared by the form screens (their widgets: `#edit-form`, `#edit-find`)."""

    DEFAULT_CSS = """
    FormKeys #edit-find { display: none; height: 1; border: none; padding: 0 1; }
    FormKeys #edit-find.-shown { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "external_editor", "$EDITOR", id="edit.external", priority=True),
        Binding("ctrl+f", "find_field", "Go to field", id="edit.find", priority=True),
    ]

    # -- keys -----------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """A printable key no field took stops here: letters never reach app-wide bindings."""
        if event.is_printable:
            event.stop()
            event.prevent_default()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The focused field is always on screen (after Tab wraps too)."""
        form_field = self.focused_field()
        if form_field is not None:
            self.query_one("#edit-form", VerticalScroll).scroll_to_widget(
                form_field, animate=False, immediate=True
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a one-line field moves to the next field; in "go to field", goes there."""
        event.stop()
        if event.input.id == "edit-find":
            self.go_to_field(event.value)
            return
        self.focus_next()

    def action_find_field(self) -> None:
        """ctrl+f: a line to type part of a field's label; Enter focuses that field."""
        find = self.query_one("#edit-find", Input)
        find.value = ""
        find.add_class("-shown")
        find.focus()

    def close_find(self) -> bool:
        """Hide "go to field" if it is open (True when it was)."""
        find = self.query_one("#edit-find", Input)
        if not find.has_class("-shown"):
            return False
        find.remove_class("-shown")
        self.focus_next()
        return True

    def go_to_field(self, text: str) -> None:
        """Focus the first editable field whose label starts with `text` (else contains it)."""
        needle = text.strip().casefold()
        fields = [f for f in self.query(FormField) if not f.spec.read_only]
        found = next((f for f in fields if f.spec.label.casefold().startswith(needle)), None)
        found = found or next((f for f in fields if needle in f.spec.label.casefold()), None)
        self.query_one("#edit-find", Input).remove_class("-shown")
        if found is None:
            self.notify(f"No field called {plain(text)!r}.", severity="warning")
            self.focus_next()
            return
        found.editor.focus()

    def focused_field(self) -> FormField | None:
        """The field holding the focus, if any."""
        node = self.focused
        while node is not None and not isinstance(node, FormField):
            node = node.parent  # type: ignore[assignment]
        return node

    def action_external_editor(self) -> None:
        """ctrl+e: edit the focused text field in $EDITOR (the terminal is handed over)."""
        form_field = self.focused_field()
        if form_field is None or form_field.spec.read_only:
            self.notify("Focus a text field first.", severity="warning")
            return
        current = form_field.value
        if not isinstance(current, str):
            self.notify(f"{plain(form_field.spec.label)} is not a text field.", severity="warning")
            return
        text = edit_externally(self.app, current)
        if text is not None:
            form_field.set_text(text)
