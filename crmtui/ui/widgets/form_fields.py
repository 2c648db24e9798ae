"""Form fields: one line per field — its label, a one-line editor, and its error beside it.

Widget ids come from the field's position on the form, never from its name (vendors repeat
names and use any character in them). Text fields grow while focused; ctrl+e opens them in
$EDITOR (see the edit screen).
"""

from __future__ import annotations

import itertools
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from crmtui.model import FieldSpec, FieldType
from crmtui.ui.text import plain
from crmtui.ui.widgets.choice_editors import ChoiceEditor, EditorChanged, ToggleEditor
from crmtui.ui.widgets.reference_editor import Lookup, ReferenceEditor

__all__ = ["FormField", "Lookup", "field_label", "field_message", "initial_value"]

PLACEHOLDERS = {
    FieldType.INTEGER: "a whole number",
    FieldType.DECIMAL: "a number, e.g. 1250.50",
    FieldType.DATE: "YYYY-MM-DD",
    FieldType.DATETIME: "YYYY-MM-DD HH:MM:SS",
    FieldType.REFERENCE: "type a name or an id",
    FieldType.TEXT: "ctrl+e opens $EDITOR",
}
LABEL_WIDTH = 22
_SERIAL = itertools.count(10_000)  # ids for fields placed without a form position


def field_label(spec: FieldSpec) -> Text:
    """The label of a field: its name, `*` when required, markers for custom and read-only."""
    text = Text(plain(spec.label), no_wrap=True, overflow="ellipsis", end="")
    if spec.required and not spec.read_only:
        text.append(" *", style="bold")
    if spec.custom:
        text.append(" ⁺", style="italic")
    if spec.read_only:
        text.append(" ⊘", style="dim")
    return text


def field_message(spec: FieldSpec, message: str) -> str:
    """A validation message that names its field: "Email: 'x' is not…", "Name is required"."""
    label = plain(spec.label)
    if message.startswith(("is ", "must ")):
        return f"{label} {message}"
    return f"{label}: {message}"


def initial_value(spec: FieldSpec, value: Any) -> Any:
    """What the editing widget starts with for a stored value (safe text, a bool, a choice)."""
    if spec.type is FieldType.BOOLEAN:
        return bool(value)
    if spec.type is FieldType.CHOICE:
        return None if value in (None, "") else str(value)
    if spec.type is FieldType.TEXT:
        return plain(value, keep_newlines=True)
    return plain(value)


def make_editor(spec: FieldSpec, start: Any, widget_id: str, lookup: Lookup | None) -> Widget:
    """The one-line widget that edits a field of this type, holding `start`."""
    disabled = spec.read_only
    if spec.type is FieldType.BOOLEAN:
        return ToggleEditor(bool(start), id=widget_id, disabled=disabled)
    if spec.type is FieldType.CHOICE or (spec.type is FieldType.REFERENCE and spec.choices):
        return ChoiceEditor(
            list(spec.choices), start, required=spec.required, id=widget_id, disabled=disabled
        )
    if spec.type is FieldType.TEXT:
        area = TextArea(str(start), id=widget_id, soft_wrap=True, disabled=disabled)
        area.show_line_numbers = False
        area.add_class("field-editor")
        return area
    if spec.type is FieldType.REFERENCE and spec.reference and lookup is not None:
        return ReferenceEditor(str(start), spec.reference, lookup, id=widget_id, disabled=disabled)
    # No max_length and no restricted type: an over-long value or a letter in a number is said
    # beside the field (the validator's message), never cut or dropped silently.
    editor = Input(
        str(start),
        placeholder="" if disabled else PLACEHOLDERS.get(spec.type, ""),
        id=widget_id,
        disabled=disabled,
        select_on_focus=False,
        compact=True,
    )
    editor.add_class("field-editor")
    return editor


class FormField(Horizontal):
    """One field of the edit form on one line: label, editor, error."""

    DEFAULT_CSS = f"""
    FormField {{ height: auto; width: 1fr; background: transparent; }}
    FormField > .field-label {{
        width: {LABEL_WIDTH}; height: 1; padding: 0 1 0 0; background: transparent;
        color: $text-muted;
    }}
    FormField.-focused > .field-label {{ color: $text; text-style: bold; }}
    FormField .field-editor {{ width: 1fr; height: 1; border: none; padding: 0 1; }}
    FormField Input.field-editor {{ background: $surface; }}
    FormField Input.field-editor:focus {{ background: $primary 25%; }}
    FormField ChoiceEditor, FormField ToggleEditor {{ background: $surface; }}
    FormField ChoiceEditor:focus, FormField ToggleEditor:focus {{ background: $primary 25%; }}
    FormField .field-editor:disabled {{ background: transparent; color: $text-muted; }}
    FormField TextArea.field-editor {{ background: $surface; }}
    FormField TextArea.field-editor:focus {{ height: 5; background: $primary 15%; }}
    FormField > .field-error {{
        width: auto; max-width: 50%; height: 1; color: $error; display: none;
        padding: 0 0 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }}
    FormField.-invalid > .field-error {{ display: block; }}
    FormField.-invalid .field-editor {{ background: $error 15%; }}
    FormField.-invalid > .field-label {{ color: $error; }}
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "step(1)", "Next field", show=False, id="form.next"),
        Binding("up", "step(-1)", "Previous field", show=False, id="form.previous"),
    ]

    class Edited(Message):
        """The user changed this field's value (posted so the form can check it at once)."""

        def __init__(self, form_field: FormField) -> None:
            super().__init__()
            self.form_field = form_field

    def __init__(
        self,
        spec: FieldSpec,
        value: Any,
        index: int | None = None,
        lookup: Lookup | None = None,
    ) -> None:
        index = next(_SERIAL) if index is None else index
        super().__init__(id=f"field-{index}")
        self.spec = spec
        self.index = index
        self.start = initial_value(spec, value)
        self.error: str | None = None
        self._editor = make_editor(spec, self.start, f"editor-{index}", lookup)

    def compose(self) -> ComposeResult:
        """Label, editor, error."""
        yield Label(field_label(self.spec), classes="field-label")
        yield self._editor
        yield Static("", classes="field-error", markup=False)

    @property
    def editor(self) -> Widget:
        """The editing widget (the focusable one)."""
        if isinstance(self._editor, ReferenceEditor):
            return self._editor.input
        return self._editor

    @property
    def value(self) -> Any:
        """The value as the user left it: text, a bool, or a choice value (None when blank)."""
        editor = self._editor
        if isinstance(editor, ToggleEditor | ChoiceEditor):
            return editor.value
        if isinstance(editor, TextArea):
            return editor.text
        if isinstance(editor, ReferenceEditor):
            return editor.value
        if isinstance(editor, Input):
            return editor.value
        raise TypeError(f"unexpected editor {editor!r}")  # pragma: no cover

    def set_text(self, text: str) -> None:
        """Replace a text value (from $EDITOR)."""
        editor = self._editor
        if isinstance(editor, TextArea):
            editor.load_text(text)
            self.post_message(self.Edited(self))
        elif isinstance(editor, Input):
            editor.value = text.rstrip("\n")

    @property
    def changed(self) -> bool:
        """Whether the user changed the value (blank and none are the same)."""
        if self.spec.read_only:
            return False
        return bool(_norm(self.value) != _norm(self.start))

    def set_error(self, message: str | None) -> None:
        """Show `message` beside the field, naming it (None clears it)."""
        self.error = None if message is None else field_message(self.spec, message)
        self.set_class(message is not None, "-invalid")
        self.query_one(".field-error", Static).update(Text(plain(self.error or "")))

    def on_descendant_focus(self) -> None:
        """The label of the field being edited stands out."""
        self.add_class("-focused")

    def on_descendant_blur(self) -> None:
        """Back to a quiet label."""
        self.remove_class("-focused")

    def action_step(self, step: int) -> None:
        """↑/↓ move between fields (inside a text area they move the caret)."""
        if step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Report an edit."""
        event.stop()
        self.post_message(self.Edited(self))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Report an edit."""
        event.stop()
        self.post_message(self.Edited(self))

    def on_editor_changed(self, event: EditorChanged) -> None:
        """Report an edit."""
        event.stop()
        self.post_message(self.Edited(self))


def _norm(value: Any) -> Any:
    return None if value == "" else value
