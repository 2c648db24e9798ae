"""The add-or-update form (the Upsert view): every field of the vendor's form, pickers by name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, SelectionList, Static
from textual.worker import Worker, WorkerState

from crmtui.backends.capabilities import Upserts
from crmtui.backends.spec import View
from crmtui.errors import UsageError, ValidationFailed, describe
from crmtui.model import Change, Record, Validator
from crmtui.services import edits
from crmtui.services.write_policy import WritePath
from crmtui.ui.confirm import confirm_write, write_refused
from crmtui.ui.screens.dialogs import changes_table
from crmtui.ui.text import plain
from crmtui.ui.widgets.form_fields import FormField
from crmtui.ui.widgets.key_footer import ScreenFooter

if TYPE_CHECKING:
    from crmtui.services.session import Session

SEND_GROUP = "upsert-send"
GROUPS_GROUP = "upsert-groups"


class UpsertScreen(Screen[Record | None]):
    """Add or update a record by its match key; dismisses with the record as sent, or None."""

    DEFAULT_CSS = """
    UpsertScreen { layout: vertical; }
    UpsertScreen #upsert-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    UpsertScreen #upsert-note { height: auto; padding: 0 1; color: $text-muted; }
    UpsertScreen #upsert-form { height: 1fr; padding: 0 2; }
    UpsertScreen .picker-label { padding: 1 0 0 0; text-style: bold; }
    UpsertScreen SelectionList { height: auto; max-height: 8; }
    UpsertScreen #upsert-message { height: auto; max-height: 4; padding: 0 1; }
    UpsertScreen #upsert-message.-error { color: $error; background: $error 10%; }
    """
    BINDINGS = [
        Binding("ctrl+s", "send", "Send", id="upsert.send"),
        Binding("escape", "leave", "Back", id="upsert.cancel"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        backend = session.backend
        if not isinstance(backend, Upserts):
            raise UsageError(f"{backend.label} has no {View.UPSERT.value} view")
        self.session = session
        self.backend: Upserts = backend
        self.form = backend.upsert_form()
        self.fields = list(self.form.fields)
        self.validator = Validator(self.fields)
        self.sending = False

    def compose(self) -> ComposeResult:
        """Title, note, the fields, tag inputs, list pickers, a message line, the footer."""
        profile = self.session.profile
        what = self.form.entity
        title = f"Add or update a {what} · {plain(profile.name)} · mode {profile.mode}"
        yield Label(Text(title), id="upsert-title")
        yield Static(Text(plain(self.form.note) + "."), id="upsert-note")
        with VerticalScroll(id="upsert-form"):
            for spec in self.fields:
                if spec.name in self.form.pickers:
                    yield Label(Text(spec.label), classes="picker-label")
                    yield SelectionList[str](id=f"pick-{spec.name}")
                else:
                    yield FormField(spec, None)
        yield Static("", id="upsert-message", markup=False)
        yield ScreenFooter()

    def on_mount(self) -> None:
        """Focus the match key and load the pickers' choices."""
        key = self.form_field(self.form.key)
        if key is not None:
            key.editor.focus()
        self.load_groups()

    @work(group=GROUPS_GROUP, exclusive=True, exit_on_error=False, description="load groups")
    async def load_groups(self) -> None:
        """Fill every picker with the vendor's choices, by name."""
        try:
            choices = await self.backend.upsert_choices()
        except Exception as exc:
            info = describe(exc)
            self.show_message(f"Could not load the choices. {info.title}: {info.message}", True)
            return
        for name in self.form.pickers:
            picker = self.picker(name)
            picker.clear_options()
            picker.add_options([(Text(plain(c.label)), c.label) for c in choices])

    # -- reading the form -----------------------------------------------------------------------
    def form_field(self, name: str) -> FormField | None:
        """The field widget for `name`."""
        for form_field in self.query(FormField):
            if form_field.spec.name == name:
                return form_field
        return None

    def picker(self, name: str) -> SelectionList[str]:
        """The picker of field `name`."""
        return self.query_one(f"#pick-{name}", SelectionList)

    def values(self) -> dict[str, Any]:
        """What the user entered: the fields, and the picked choices' names."""
        found: dict[str, Any] = {}
        for form_field in self.query(FormField):
            if form_field.value not in (None, ""):
                found[form_field.spec.name] = form_field.value
        for name in self.form.pickers:
            picked = list(self.picker(name).selected)
            if picked:
                found[name] = ", ".join(picked)
        return found

    def show_message(self, text: str | None, error: bool = False) -> None:
        """Show (or clear) the line under the form."""
        message = self.query_one("#upsert-message", Static)
        message.update(Text(plain(text or "")))
        message.set_class(error, "-error")

    def show_errors(self, errors: dict[str, str], *, vendor: bool = False) -> None:
        """Each error beside its field; list and stray errors on the message line."""
        for form_field in self.query(FormField):
            form_field.set_error(errors.get(form_field.spec.name))
        if not errors:
            self.show_message(None)
            return
        who = (
            f"{self.session.backend.label} refused the {self.form.entity}"
            if vendor
            else "Please fix"
        )
        detail = "; ".join(f"{name}: {why}" for name, why in errors.items())
        self.show_message(f"{who}: {detail}", error=True)

    # -- sending --------------------------------------------------------------------------------
    def action_send(self) -> None:
        """Validate, confirm when the profile asks for it, then send in a worker."""
        if self.sending:
            self.notify("Already sending…")
            return
        if write_refused(self, self.session, WritePath.UPSERT, show=self._refused):
            return
        values = self.values()
        try:
            self.validator.validate(values, creating=True)
        except ValidationFailed as exc:
            self.show_errors(exc.field_errors)
            return
        self.show_errors({})
        changes = [Change(name, None, value) for name, value in values.items()]
        what = f"{self.form.entity} {values[self.form.key]}"
        confirm_write(
            self,
            self.session,
            WritePath.UPSERT,
            lambda: self.start_send(values),
            title=f"Send {what} to {self.session.backend.label}?",
            body=changes_table(changes, self.fields),
            label="Send",
            declined=lambda: self.show_message("Not sent; the form is kept."),
            show=self._refused,
        )

    def _refused(self, text: str) -> None:
        self.show_message(text, error=True)

    def start_send(self, values: dict[str, Any]) -> None:
        """Send `values` in a worker (recorded in the sent history)."""
        self.sending = True
        self.show_message("Sending…")
        self._send(values)

    @work(group=SEND_GROUP, exclusive=True, exit_on_error=False, description="send upsert")
    async def _send(self, values: dict[str, Any]) -> Record:
        # Through the journal like every write: on disk before it is sent, kept if it fails.
        known = set(self.form.field_names())
        wanted = {k: v for k, v in values.items() if k in known}
        return await edits.create_record(
            self.session, self.form.entity, wanted, path=WritePath.UPSERT
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close on success; on failure keep the form and say why."""
        if event.worker.group != SEND_GROUP:
            return
        if event.state is WorkerState.SUCCESS:
            self.sending = False
            self.notify(f"Sent; {self.session.backend.label} answered OK.", timeout=3)
            result = event.worker.result
            self.dismiss(result if isinstance(result, Record) else None)
        elif event.state is WorkerState.ERROR:
            self.sending = False
            error = event.worker.error
            if isinstance(error, ValidationFailed):
                self.show_errors(error.field_errors, vendor=True)
            elif error is not None:
                info = describe(error)
                self.show_message(f"Not sent. {info.title}: {info.message}", error=True)
            self.notify("Not sent; the form is kept.", severity="error")
        elif event.state is WorkerState.CANCELLED:
            self.sending = False

    def action_leave(self) -> None:
        """Go back (the form is not kept)."""
        if self.sending:
            self.notify("Sending… wait for it to finish.")
            return
        self.dismiss(None)
