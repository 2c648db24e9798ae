"""Form fields: one editing widget per FieldSpec, with its label and the error shown beside it."""

from __future__ import annotations

import zlib
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, Switch, TextArea

from crmtui.model import FieldSpec, FieldType
from crmtui.ui.text import plain

PLACEHOLDERS = {
    FieldType.EMAIL: "name@example.com",
    FieldType.PHONE: "+1 555 0100",
    FieldType.URL: "https://example.com",
    FieldType.INTEGER: "a whole number",
    FieldType.DECIMAL: "a number, e.g. 1250.50",
    FieldType.DATE: "YYYY-MM-DD",
    FieldType.DATETIME: "YYYY-MM-DD HH:MM:SS",
    FieldType.REFERENCE: "id of the linked record",
}
INPUT_TYPES = {FieldType.INTEGER: "integer", FieldType.DECIMAL: "number"}


def field_label(spec: FieldSpec) -> Text:
    """The label of a field: its name, `*` when required, markers for custom and read-only."""
    text = Text(plain(spec.label), style="bold")
    if spec.required and not spec.read_only:
        text.append(" *", style="bold red")
    if spec.custom:
        text.append(" (custom)", style="italic")
    if spec.read_only:
        text.append(" (read-only)", style="dim")
    return text


def initial_value(spec: FieldSpec, value: Any) -> Any:
    """What the editing widget starts with for a stored value (safe text, a bool, a choice)."""
    if spec.type is FieldType.BOOLEAN:
        return bool(value)
    if spec.type is FieldType.CHOICE:
        return None if value in (None, "") else str(value)
    if spec.type is FieldType.TEXT:
        return plain(value, keep_newlines=True)
    return plain(value)


def make_editor(spec: FieldSpec, start: Any, widget_id: str) -> Widget:
    """The widget that edits a field of this type, holding `start` (from `initial_value`)."""
    disabled = spec.read_only
    if spec.type is FieldType.BOOLEAN:
        return Switch(value=bool(start), id=widget_id, disabled=disabled)
    if spec.type is FieldType.CHOICE:
        options = [(Text(plain(c.label)), c.value) for c in spec.choices]
        if start is not None and all(c.value != start for c in spec.choices):
            options.append((Text(plain(start)), start))  # keep a value the vendor no longer lists
        return Select(
            options,
            value=start if start is not None else Select.NULL,
            allow_blank=True,
            prompt="(none)",
            id=widget_id,
            disabled=disabled,
        )
    if spec.type is FieldType.TEXT:
        area = TextArea(str(start), id=widget_id, soft_wrap=True, disabled=disabled)
        area.show_line_numbers = False
        return area
    return Input(
        str(start),
        placeholder=PLACEHOLDERS.get(spec.type, ""),
        type=INPUT_TYPES.get(spec.type, "text"),  # type: ignore[arg-type]
        max_length=spec.max_length or 0,
        id=widget_id,
        disabled=disabled,
        select_on_focus=False,
    )


class FormField(Vertical):
    """One field of the edit form: label beside its editor, and a line for its error below."""

    DEFAULT_CSS = """
    FormField {
        layout: grid; grid-size: 2; grid-columns: 26 1fr; grid-rows: auto;
        height: auto; margin: 0;
    }
    FormField > .field-label { padding: 1 1 0 0; height: auto; }
    FormField > TextArea { height: 6; }
    FormField > .field-error { color: $error; height: auto; display: none; padding: 0 0 0 1; }
    FormField > .field-spacer { height: 1; display: none; }
    FormField.-invalid > .field-error, FormField.-invalid > .field-spacer { display: block; }
    FormField.-invalid > Input, FormField.-invalid > TextArea { border: tall $error; }
    """

    class Edited(Message):
        """The user changed this field's value (posted so the form can check it at once)."""

        def __init__(self, form_field: FormField) -> None:
            super().__init__()
            self.form_field = form_field

    def __init__(self, spec: FieldSpec, value: Any) -> None:
        super().__init__(id=f"field-{_dom_id(spec.name)}")
        self.spec = spec
        self.start = initial_value(spec, value)
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        """Label, editor, error line."""
        yield Label(field_label(self.spec), classes="field-label")
        yield make_editor(self.spec, self.start, f"editor-{_dom_id(self.spec.name)}")
        yield Static("", classes="field-spacer")
        yield Static("", classes="field-error", markup=False)

    @property
    def editor(self) -> Widget:
        """The editing widget."""
        return self.query_one(f"#editor-{_dom_id(self.spec.name)}")

    @property
    def value(self) -> Any:
        """The value as the user left it: text, a bool, or a choice value (None when blank)."""
        editor = self.editor
        if isinstance(editor, Switch):
            return editor.value
        if isinstance(editor, Select):
            return None if editor.value is Select.NULL else editor.value
        if isinstance(editor, TextArea):
            return editor.text
        if isinstance(editor, Input):
            return editor.value
        raise TypeError(f"unexpected editor {editor!r}")  # pragma: no cover

    @property
    def changed(self) -> bool:
        """Whether the user changed the value (blank and none are the same)."""
        if self.spec.read_only:
            return False
        return bool(_norm(self.value) != _norm(self.start))

    def set_error(self, message: str | None) -> None:
        """Show `message` beside the field (None clears it)."""
        self.error = message
        self.set_class(message is not None, "-invalid")
        self.query_one(".field-error", Static).update(Text(plain(message or "")))

    def on_input_changed(self, event: Input.Changed) -> None:
        """Report an edit."""
        event.stop()
        self.post_message(self.Edited(self))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Report an edit."""
        event.stop()
        self.post_message(self.Edited(self))

    def on_select_changed(self, event: Select.Changed) -> None:
        """Report an edit."""
        event.stop()
        self.post_message(self.Edited(self))

    def on_switch_changed(self, event: Switch.Changed) -> None:
        """Report an edit."""
        event.stop()
        self.post_message(self.Edited(self))


def _norm(value: Any) -> Any:
    return None if value == "" else value


def _dom_id(name: str) -> str:
    """A DOM-safe id for a field's system name (which may hold any character)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in name)
    return f"{safe}-{zlib.crc32(name.encode()):08x}"
