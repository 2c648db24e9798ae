"""The edit form: edit or create a record, validated field by field before anything is sent.

Saves go through the write journal: a record changed elsewhere opens the ConflictScreen (loaded /
theirs / mine per field), and a save that fails keeps both the form and its journal entry, so
saving again retries that entry (a create whose answer was lost is looked for, not resent).
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from crmtui.errors import ValidationFailed, describe
from crmtui.model import Change, ChangeSet, EntitySpec, FieldSpec, Record, Validator, as_values
from crmtui.services import outbox
from crmtui.services.edits import EditConflict, create_record, journal_for, save_changes
from crmtui.services.journal import Op
from crmtui.services.lookup import find as find_records
from crmtui.services.write_policy import Decision, WritePath
from crmtui.ui.confirm import confirm_write, verdict, write_refused
from crmtui.ui.screens.conflict import ConflictScreen
from crmtui.ui.screens.dialogs import ConfirmScreen, changes_table
from crmtui.ui.screens.edit_form import EditForm
from crmtui.ui.screens.form_keys import unique_fields
from crmtui.ui.text import plain
from crmtui.ui.widgets.form_fields import FormField
from crmtui.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from crmtui.services.session import Session

SAVE_GROUP = "edit-save"


class EditScreen(EditForm):
    """Edit `record` (or create one when it is None); dismisses with the saved record or None."""

    DEFAULT_CSS = """
    EditScreen { layout: vertical; }
    EditScreen #edit-title {
        height: 1; width: 1fr; padding: 0 1; text-style: bold;
        background: $primary; color: auto 90%;
    }
    EditScreen #edit-mode { height: 1; padding: 0 1; color: $text-muted; }
    EditScreen #edit-mode.-refused { color: $error; text-style: bold; }
    EditScreen #edit-form { height: 1fr; padding: 0 1; }
    EditScreen #edit-message { height: auto; max-height: 4; padding: 0 1; display: none; }
    EditScreen #edit-message.-shown { display: block; }
    EditScreen #edit-message.-error { color: $error; background: $error 10%; }
    EditScreen #edit-message.-info { color: $text; background: $primary 10%; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="edit.save", priority=True),
        Binding("escape", "leave", "Back", id="edit.cancel"),
    ]

    def __init__(
        self,
        session: Session,
        entity: EntitySpec,
        fields: list[FieldSpec],
        record: Record | None,
    ) -> None:
        super().__init__()
        self.session = session
        self.entity = entity
        self.fields, self.repeated = unique_fields(fields)
        self.record = record
        self.validator = Validator(self.fields)
        self.saving = False
        self.opened_at = time.time()
        self.entry_id: str | None = None  # this form's journal entry still pending, if any
        self.vendor_refused = False

    @property
    def path(self) -> WritePath:
        """The kind of write this form makes: a create or an edit."""
        return WritePath.CREATE if self.creating else WritePath.EDIT

    def compose(self) -> ComposeResult:
        """Title, mode line, one FormField per field, a message line, the footer."""
        yield Label(self._title(), id="edit-title")
        mode = Label(self._mode_text(), id="edit-mode")
        mode.set_class(verdict(self.session, self.path).refused, "-refused")
        yield mode
        with VerticalScroll(id="edit-form", can_focus=False):
            values = self.record.values if self.record is not None else {}
            lookup = partial(find_records, self.session)
            for index, spec in enumerate(self.fields):
                if self.creating and spec.read_only:
                    continue  # nothing to show or set yet
                yield FormField(spec, values.get(spec.name), index, lookup)
        yield Static("", id="edit-message", markup=False)
        yield Input(placeholder="go to field: type part of its label, enter", id="edit-find")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Focus the first editable field; say which repeated fields were shown once."""
        for form_field in self.form_fields():
            if not form_field.spec.read_only:
                form_field.editor.focus()
                break
        if self.repeated:
            names = ", ".join(plain(n) for n in self.repeated)
            self.show_message(f"The vendor lists these fields twice; each is shown once: {names}")

    def _title(self) -> Text:
        entity = plain(self.entity.label)
        if self.record is None:
            return Text(f"New {entity}")
        return Text(
            f"Edit {entity}: {plain(self.record.title(self.entity))}  (id {plain(self.record.id)})"
        )

    def _mode_text(self) -> Text:
        answer = verdict(self.session, self.path)
        text = f"{plain(answer.profile)} · {plain(answer.mode)}"
        if answer.decision is Decision.ASK:
            text += " · ctrl+s shows the changes, then asks"
        elif answer.refused:
            text += f" · {answer.hint}"
        return Text(text)

    # -- saving ---------------------------------------------------------------------------------
    def action_save(self) -> None:
        """Validate, then the write policy: refuse, show the changes and ask, or save (a worker)."""
        if self.saving:
            self.notify("Already saving…")
            return
        if write_refused(self, self.session, self.path, show=self._refused):
            return
        changes = self.check()
        if changes is None:
            return
        if not changes:
            self.show_message("Nothing to save: no field was changed.")
            return
        count = len(changes)
        what = f"new {self.entity.label}" if self.creating else self.entity.label
        title = f"Save {count} change{'s' if count != 1 else ''} to {what}?"
        if self.record is not None:
            title = f"{title[:-1]} {self.record.title(self.entity)}?"
        confirm_write(
            self,
            self.session,
            self.path,
            lambda: self.start_save(changes),
            title=title,
            body=changes_table(list(changes), self.fields),
            label="Save",
            declined=lambda: self.show_message("Not saved; your edits are still here."),
            show=self._refused,
        )

    def _refused(self, text: str) -> None:
        self.show_message(text, error=True)

    def start_save(self, changes: ChangeSet) -> None:
        """Send `changes` in a worker; the result arrives in on_worker_state_changed."""
        self.saving = True
        self.show_message("Saving…")
        self._save(changes)

    @work(group=SAVE_GROUP, exclusive=True, exit_on_error=False, description="save record")
    async def _save(self, changes: ChangeSet) -> Record | None:
        if self.entry_id is not None:  # a failed save of this form: send that entry again
            await outbox.edit(self.session, self.entry_id, as_values(changes))
            result = await outbox.retry(self.session, self.entry_id)
            return result if isinstance(result, Record) else None
        if self.record is None:
            return await create_record(self.session, self.entity.name, as_values(changes))
        return await save_changes(self.session, self.entity.name, self.record.id, changes)

    @work(group=SAVE_GROUP, exclusive=True, exit_on_error=False, description="resolve conflict")
    async def _resolve(self, entry_id: str, choices: dict[str, Any]) -> Record:
        return await outbox.resolve(self.session, entry_id, choices)

    def pending_entry(self) -> str | None:
        """The newest pending journal entry this form made, if its save did not apply."""
        op = Op.CREATE if self.record is None else Op.UPDATE
        rid = None if self.record is None else self.record.id
        for entry in reversed(journal_for(self.session).pending()):
            if entry.created < self.opened_at or entry.op is not op:
                continue
            if entry.entity == self.entity.name and (rid is None or entry.record_id == rid):
                return entry.id
        return None

    def show_conflict(self, conflict: EditConflict) -> None:
        """Ask per field: theirs or mine; "later" keeps the edit in the outbox."""
        entry_id = conflict.entry.id
        self.show_message(
            f"Changed elsewhere; nothing was overwritten. Kept in the outbox as {entry_id}.",
            error=True,
        )

        def chosen(choices: dict[str, Any] | None) -> None:
            if choices is None:
                self.notify(f"Kept in the outbox ({entry_id}).", timeout=4)
                return

            def go() -> None:
                self.saving = True
                self.show_message("Saving your choices…")
                self._resolve(entry_id, choices)

            confirm_write(
                self,
                self.session,
                WritePath.RESOLVE,
                go,
                title="Send your choices?",
                body=", ".join(f"{name}: {pick}" for name, pick in choices.items()),
                label="Send",
                declined=lambda: self.notify(f"Kept in the outbox ({entry_id}).", timeout=4),
                show=self._refused,
            )

        title = f"{self.entity.label} {self.record.id if self.record else ''} changed elsewhere"
        self.app.push_screen(ConflictScreen(title, conflict.conflicts, self.fields), chosen)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close on success; on failure keep the form and show why."""
        worker = event.worker
        if worker.group != SAVE_GROUP:
            return
        if event.state is WorkerState.SUCCESS:
            self.saving = False
            saved = worker.result
            self.notify("Saved.", timeout=3)
            self.dismiss(saved if isinstance(saved, Record) else None)
        elif event.state is WorkerState.ERROR:
            self.saving = False
            error = worker.error
            self.entry_id = self.pending_entry()
            kept = f" Kept in the outbox as {self.entry_id}." if self.entry_id else ""
            if isinstance(error, EditConflict):
                self.entry_id = None  # settled through the conflict screen or the outbox
                self.show_conflict(error)
                return
            if isinstance(error, ValidationFailed) and error.field_errors:
                self.show_field_errors(error.field_errors, vendor=True)
            elif error is not None:
                info = describe(error)
                self.show_message(f"Not saved. {info.title}: {info.message}{kept}", error=True)
            self.notify("Not saved; your edits are kept.", severity="error")
        elif event.state is WorkerState.CANCELLED:
            self.saving = False
            self.show_message("Save cancelled; your edits are kept.", error=True)

    # -- leaving --------------------------------------------------------------------------------
    def action_leave(self) -> None:
        """Go back; ask first when there are unsaved changes (escape in "go to field" closes it)."""
        if self.close_find():
            return
        if self.saving:
            self.notify("Saving… wait for it to finish.")
            return
        edited = self.edited_values()
        if not edited:
            self.dismiss(None)
            return
        old = self.record.values if self.record is not None else {}
        changes = [Change(name, old.get(name), value) for name, value in edited.items()]

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Discard your unsaved changes?",
                changes_table(changes, self.fields),
                confirm_label="Discard",
            ),
            answered,
        )
