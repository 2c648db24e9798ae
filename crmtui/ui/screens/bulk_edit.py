"""Bulk edit of the marked records: set fields to one value on every one, with result files.

The run goes through `services.bulk.bulk_update` (each record journaled and checked for changes
made elsewhere, like any edit) and writes a success file and an error file in the same format as
`crmtui bulk update`, so the error file can be fixed and applied again from the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, ProgressBar, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import Worker, WorkerState

from crmtui.errors import ValidationFailed, describe
from crmtui.model import EntitySpec, FieldSpec, Validator
from crmtui.services.bulk import (
    bulk_update,
    cell,
    run_path,
    selection_rows,
    write_results,
)
from crmtui.services.write_policy import WritePath
from crmtui.ui.confirm import confirm_write, write_refused
from crmtui.ui.screens.bulk_results import BulkOutcome, BulkProgress, result_directory, summary
from crmtui.ui.text import plain
from crmtui.ui.widgets.form_fields import FormField
from crmtui.ui.widgets.key_footer import ScreenFooter

if TYPE_CHECKING:
    from crmtui.services.session import Session
    from crmtui.ui.screens.main import MainScreen

RUN_GROUP = "bulk-edit"


class BulkEditScreen(Screen[BulkOutcome | None]):
    """Tick fields, give their values, apply them to every marked record."""

    DEFAULT_CSS = """
    BulkEditScreen { layout: vertical; }
    BulkEditScreen #bulk-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    BulkEditScreen #bulk-hint { height: auto; padding: 0 1; color: $text-muted; }
    BulkEditScreen #bulk-fields { height: auto; max-height: 10; margin: 0 2; }
    BulkEditScreen #bulk-form { height: 1fr; padding: 0 2; }
    BulkEditScreen #bulk-message { height: auto; max-height: 4; padding: 0 1; display: none; }
    BulkEditScreen #bulk-message.-shown { display: block; }
    BulkEditScreen #bulk-message.-error { color: $error; background: $error 10%; }
    BulkEditScreen #bulk-progress { display: none; padding: 0 1; }
    BulkEditScreen #bulk-progress.-shown { display: block; }
    """
    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", id="bulk.apply", priority=True),
        Binding("escape", "leave", "Back", id="bulk.cancel"),
    ]

    def __init__(
        self,
        session: Session,
        entity: EntitySpec,
        fields: list[FieldSpec],
        ids: list[str],
        directory: Path | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.entity = entity
        self.fields = [f for f in fields if not f.read_only]
        self.ids = list(ids)
        self.directory = directory
        self.validator = Validator(self.fields)
        self.running = False

    def compose(self) -> ComposeResult:
        """Title, hint, the field picker, one (hidden) form field per field, progress, footer."""
        count = len(self.ids)
        noun = "record" if count == 1 else "records"
        yield Label(Text(f"Bulk edit: {count:,} marked {plain(self.entity.label)} {noun}"),
                    id="bulk-title")  # fmt: skip
        yield Static(
            Text(
                f"profile {plain(self.session.profile.name)} · mode "
                f"{plain(self.session.profile.mode)} · tick the "
                "fields to set (space), fill in their values, ctrl+s applies them to every "
                "marked record; a field cannot be emptied this way"
            ),
            id="bulk-hint",
        )
        yield SelectionList[str](
            *(Selection(Text(plain(f.label)), f.name) for f in self.fields), id="bulk-fields"
        )
        with VerticalScroll(id="bulk-form"):
            for spec in self.fields:
                form_field = FormField(spec, None)
                form_field.display = False
                yield form_field
        yield ProgressBar(total=len(self.ids), id="bulk-progress")
        yield Static("", id="bulk-message", markup=False)
        yield ScreenFooter()

    def on_mount(self) -> None:
        """Start in the field picker."""
        self.query_one(SelectionList).focus()

    # -- the form --------------------------------------------------------------------------------
    def chosen(self) -> list[FormField]:
        """The ticked fields' form fields, in field order."""
        names = set(self.query_one(SelectionList).selected)
        return [f for f in self.query(FormField) if f.spec.name in names]

    def form_field(self, name: str) -> FormField | None:
        """The form field for the system name `name`."""
        return next((f for f in self.query(FormField) if f.spec.name == name), None)

    @on(SelectionList.SelectedChanged)
    def _ticked(self, event: SelectionList.SelectedChanged[str]) -> None:
        names = set(event.selection_list.selected)
        for form_field in self.query(FormField):
            form_field.display = form_field.spec.name in names
            if form_field.spec.name not in names:
                form_field.set_error(None)

    def on_form_field_edited(self, event: FormField.Edited) -> None:
        """Check a value as soon as it changes."""
        form_field = event.form_field
        try:
            self.validator.validate({form_field.spec.name: form_field.value})
        except ValidationFailed as exc:
            form_field.set_error(exc.field_errors.get(form_field.spec.name, str(exc)))
        else:
            form_field.set_error(None)

    def show_message(self, text: str | None, *, error: bool = False) -> None:
        """Show (or hide, with None) the line under the form."""
        message = self.query_one("#bulk-message", Static)
        message.update(Text(plain(text or "")))
        message.set_class(text is not None, "-shown")
        message.set_class(error, "-error")

    def values(self) -> dict[str, Any] | None:
        """The ticked fields' values, checked; None when one is missing or invalid."""
        raw = {f.spec.name: f.value for f in self.chosen()}
        errors = {name: "a value is needed" for name, value in raw.items() if cell(value) == ""}
        try:
            self.validator.validate({k: v for k, v in raw.items() if k not in errors})
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
        for form_field in self.query(FormField):
            form_field.set_error(errors.get(form_field.spec.name))
        if errors:
            self.show_message(f"Please fix: {len(errors)} field(s) need attention.", error=True)
            return None
        return raw

    # -- applying --------------------------------------------------------------------------------
    def action_apply(self) -> None:
        """Check the values, then the write policy: refuse, ask first, or go ahead."""
        if self.running:
            self.notify("Already running…")
            return
        if write_refused(self, self.session, WritePath.BULK, show=self._refused):
            return
        if not self.chosen():
            self.show_message("Tick at least one field to set.", error=True)
            return
        values = self.values()
        if values is None:
            return
        count = len(self.ids)
        title = (
            f"Set {len(values)} field{'s' if len(values) != 1 else ''} on {count:,} "
            f"{self.entity.label} record{'s' if count != 1 else ''}?"
        )
        confirm_write(
            self,
            self.session,
            WritePath.BULK,
            lambda: self.start(values),
            title=title,
            body=self._summary(values),
            label="Apply",
            declined=lambda: self.show_message("Not applied; your values are still here."),
            show=self._refused,
        )

    def _refused(self, text: str) -> None:
        self.show_message(text, error=True)

    def _summary(self, values: dict[str, Any]) -> Table:
        specs = {f.name: f for f in self.fields}
        table = Table(show_header=True, header_style="bold", box=None, expand=True)
        table.add_column("Field", no_wrap=True)
        table.add_column("New value on every marked record", overflow="fold")
        for name, value in values.items():
            table.add_row(Text(plain(specs[name].label)), Text(plain(cell(value))))
        return table

    def start(self, values: dict[str, Any]) -> None:
        """Run the bulk update in a worker; the progress bar follows it."""
        self.running = True
        self.query_one("#bulk-progress", ProgressBar).add_class("-shown")
        self.show_message(f"Applying to {len(self.ids):,} records…")
        self._run(values)

    @work(group=RUN_GROUP, exclusive=True, exit_on_error=False, description="bulk edit")
    async def _run(self, values: dict[str, Any]) -> BulkOutcome:
        rows = selection_rows(self.ids, values)
        total, done = len(rows), 0

        def progress(_: object) -> None:
            nonlocal done
            done += 1
            self.post_message(BulkProgress(done, total))

        result = await bulk_update(self.session, self.entity.name, rows, on_row=progress)
        directory = self.directory or result_directory()
        path = run_path(directory, self.session.profile.name, self.entity.name)
        success, errors = write_results(result, path, ["id", *values])
        return BulkOutcome(result, success, errors)

    def on_bulk_progress(self, event: BulkProgress) -> None:
        """Move the progress bar."""
        self.query_one("#bulk-progress", ProgressBar).update(progress=event.done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Say what happened and where the files are, then close."""
        if event.worker.group != RUN_GROUP:
            return
        if event.state is WorkerState.SUCCESS and isinstance(event.worker.result, BulkOutcome):
            self.running = False
            outcome = event.worker.result
            self.notify(summary(outcome, self.entity.name), title="Bulk edit", timeout=12,
                        severity="warning" if outcome.result.failed else "information")  # fmt: skip
            self.dismiss(outcome)
        elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.running = False
            error = event.worker.error
            info = describe(error) if error is not None else None
            why = f"{info.title}: {info.message}" if info is not None else "cancelled"
            self.show_message(f"Not applied. {why}", error=True)

    def action_leave(self) -> None:
        """Go back (not while a run is going: each record is journaled as it goes)."""
        if self.running:
            self.notify("Applying… wait for it to finish.")
            return
        self.dismiss(None)


def open_bulk_edit(main: MainScreen, directory: Path | None = None) -> None:
    """Open the bulk edit of the main screen's marked records (B); rows update in place after."""
    records = main.records
    entity = main.entity
    if entity is None:
        return
    if not records.marks:
        main.notify("Mark records first: space marks the row under the cursor.", timeout=4)
        return
    if write_refused(main, main.session, WritePath.BULK):
        return

    def done(outcome: BulkOutcome | None) -> None:
        if outcome is None:
            return
        for row in outcome.result.succeeded:
            if row.record is not None:
                records.replace_record(row.record)
        records.set_marks(r.row.get("id", "") for r in outcome.result.failed)
        main.show_detail(records.current)

    ids = sorted(records.marks)
    main.app.push_screen(BulkEditScreen(main.session, entity, main.fields, ids, directory), done)
