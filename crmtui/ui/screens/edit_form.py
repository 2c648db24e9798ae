"""The edit form's fields: what was entered, checked against the fields, and what is wrong."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from crmtui.errors import ValidationFailed
from crmtui.model import ChangeSet, Record, Validator
from crmtui.ui.screens.form_keys import FormKeys
from crmtui.ui.text import plain
from crmtui.ui.widgets.form_fields import FormField


class EditForm(FormKeys):
    """The edit screen's reading and checking of its fields (`EditScreen` adds saving).

    The screen sets `validator`, `record` and `vendor_refused`.
    """

    validator: Validator
    record: Record | None
    vendor_refused: bool

    @property
    def creating(self) -> bool:
        """Whether this form creates a new record."""
        return self.record is None

    # -- reading the form -----------------------------------------------------------------------
    def form_fields(self) -> list[FormField]:
        """Every field widget of the form, in order."""
        return list(self.query(FormField))

    def form_field(self, name: str) -> FormField | None:
        """The field widget for the system name `name`."""
        for form_field in self.form_fields():
            if form_field.spec.name == name:
                return form_field
        return None

    def edited_values(self) -> dict[str, Any]:
        """The values the user changed, as entered (untyped)."""
        return {f.spec.name: f.value for f in self.form_fields() if f.changed}

    @property
    def has_unsaved_changes(self) -> bool:
        """Whether leaving now would lose an edit."""
        return bool(self.edited_values())

    def check(self) -> ChangeSet | None:
        """Validate the edited values once; the changes to send (trusted from here to the
        vendor), or None (errors shown by the fields)."""
        edited = self.edited_values()
        try:
            typed = self.validator.check(edited, creating=self.creating)
        except ValidationFailed as exc:
            self.show_field_errors(exc.field_errors)
            return None
        self.show_field_errors({})
        return ChangeSet(typed, self.record.values if self.record is not None else {})

    def show_field_errors(self, errors: dict[str, str], *, vendor: bool = False) -> None:
        """Put each error beside its field; errors for fields not on the form go to the message."""
        names = set()
        for form_field in self.form_fields():
            form_field.set_error(errors.get(form_field.spec.name))
            names.add(form_field.spec.name)
        if not errors:
            self.show_message(None)
            return
        self.vendor_refused = vendor
        self.summarise_errors(stray={n: why for n, why in errors.items() if n not in names})
        first = next((f for f in self.form_fields() if f.error is not None), None)
        if first is not None and not first.spec.read_only:
            first.editor.focus()

    def summarise_errors(self, stray: dict[str, str] | None = None) -> None:
        """The line under the form names every field still at fault (hidden when none is)."""
        faults = [f.error for f in self.form_fields() if f.error]
        faults += [f"{name}: {why}" for name, why in (stray or {}).items()]
        if not faults:
            self.show_message(None)
            return
        who = "The vendor refused the values" if self.vendor_refused else "Please fix"
        self.show_message(f"{who}: " + "; ".join(faults), error=True)

    def show_message(self, text: str | None, *, error: bool = False) -> None:
        """Show (or hide, with None) the line under the form."""
        message = self.query_one("#edit-message", Static)
        message.update(Text(plain(text or "")))
        message.set_class(text is not None, "-shown")
        message.set_class(error, "-error")
        message.set_class(not error, "-info")

    def on_form_field_edited(self, event: FormField.Edited) -> None:
        """Check a field as soon as it changes, so its error shows before any request."""
        form_field = event.form_field
        had_errors = any(f.error for f in self.form_fields())
        if not form_field.changed and not (self.creating and form_field.spec.required):
            form_field.set_error(None)
        else:
            try:
                self.validator.validate({form_field.spec.name: form_field.value})
            except ValidationFailed as exc:
                form_field.set_error(exc.field_errors.get(form_field.spec.name, str(exc)))
            else:
                form_field.set_error(None)
        if had_errors or form_field.error:
            self.summarise_errors()
