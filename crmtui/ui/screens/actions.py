"""Record actions (convert a lead, close a task…) with their parameters, and revert, in the TUI.

Both act on the record in the detail pane and go through the journal (services.edits and
services.outbox), honouring the profile's write mode, exactly as `crmtui action` and
`crmtui outbox revert` do.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static

from crmtui.errors import CrmError, UsageError, ValidationFailed, describe
from crmtui.model import ActionSpec, Change, EntitySpec, Record
from crmtui.services import edits, outbox
from crmtui.services.lookup import find as find_records
from crmtui.services.write_policy import WritePath
from crmtui.ui.confirm import confirm_write, write_refused
from crmtui.ui.screens.dialogs import changes_table
from crmtui.ui.text import plain
from crmtui.ui.widgets.detail import DetailPane
from crmtui.ui.widgets.form_fields import FormField

if TYPE_CHECKING:
    from crmtui.ui.screens.main import MainScreen

KEYS = "123456789"
COPY = ActionSpec("crmtui.copy", "Copy to another CRM…", writes=False)
"""Not the vendor's: copies the record to another profile (ui.screens.copy_record)."""


class ActionsScreen(ModalScreen[tuple[ActionSpec, dict[str, Any]] | None]):
    """Pick an action by its key; its parameters (if any) are asked on the same screen."""

    DEFAULT_CSS = """
    ActionsScreen { align: center middle; }
    ActionsScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ActionsScreen .actions-title { text-style: bold; }
    ActionsScreen #actions-list { height: auto; }
    ActionsScreen #actions-params { height: auto; max-height: 14; display: none; }
    ActionsScreen #actions-params.-shown { display: block; }
    ActionsScreen #actions-hint { color: $text-muted; }
    ActionsScreen #actions-error { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="actions.cancel"),
        Binding("ctrl+s", "run", "Run", id="actions.run", priority=True),
    ]

    def __init__(
        self, main: MainScreen, record: Record, actions: list[ActionSpec], entity: EntitySpec
    ) -> None:
        super().__init__()
        self.main = main
        self.record = record
        self.entity = entity
        self.actions = actions[: len(KEYS)]
        self.chosen: ActionSpec | None = None
        self.first_editor: Widget | None = None  # where the parameters' keys go first

    def compose(self) -> ComposeResult:
        """The actions with their keys; a parameter form once one is chosen."""
        entity = self.entity
        with Vertical():
            title = f"Actions on {self.record.title(entity)} (id {self.record.id})"
            yield Label(Text(plain(title)), classes="actions-title")
            listing = Text()
            for key, action in zip(KEYS, self.actions, strict=False):
                listing.append(f" {key} ", style="bold reverse")
                listing.append(f" {plain(action.label)}")
                if action.params:
                    names = ", ".join(plain(p.label) for p in action.params)
                    listing.append(f"  ({names})", style="dim")
                listing.append("\n")
            listing.rstrip()
            yield Static(listing, id="actions-list")
            yield VerticalScroll(id="actions-params", can_focus=False)
            yield Static("", id="actions-error", markup=False)
            yield Static(Text("press a number · esc cancels"), id="actions-hint")

    async def on_key(self, event: events.Key) -> None:
        """A number picks an action (before one is chosen); other letters go nowhere."""
        if self.chosen is None and event.character and event.character in KEYS:
            event.stop()
            index = KEYS.index(event.character)
            if index < len(self.actions):
                await self.choose(self.actions[index])
        elif event.is_printable:
            event.stop()  # letters never reach app-wide bindings from here
            focused = self.focused or self.first_editor
            if self.chosen is not None and focused is not None and not _forwarded(event):
                # Typed in the same burst as the action's number, before its form had the
                # focus: it goes where it would have gone had it been typed slowly.
                again = events.Key(event.key, event.character)
                again._crmtui_forwarded = True  # type: ignore[attr-defined]
                focused.post_message(again)

    async def choose(self, action: ActionSpec) -> None:
        """Without parameters: run it (the caller confirms); else show its form."""
        if not action.params:
            self.dismiss((action, {}))
            return
        self.chosen = action
        params = self.query_one("#actions-params", VerticalScroll)
        lookup = partial(find_records, self.main.session)
        await params.mount_all(
            FormField(spec, None, i, lookup) for i, spec in enumerate(action.params)
        )
        params.add_class("-shown")
        hint = f"{plain(action.label)}: fill in, ctrl+s runs · esc cancels"
        self.query_one("#actions-hint", Static).update(Text(hint))
        self.first_editor = self.query(FormField).first().editor
        self.first_editor.focus()

    def action_run(self) -> None:
        """Check the parameters, then hand them back."""
        action = self.chosen
        if action is None:
            return
        from crmtui.model import Validator

        values = {f.spec.name: f.value for f in self.query(FormField)}
        values = {k: v for k, v in values.items() if v not in (None, "")}
        try:
            typed = Validator(list(action.params)).validate(values, creating=True)
        except ValidationFailed as exc:
            for form_field in self.query(FormField):
                form_field.set_error(exc.field_errors.get(form_field.spec.name))
            faults = [f.error for f in self.query(FormField) if f.error]
            self.query_one("#actions-error", Static).update(Text("; ".join(faults)))
            return
        self.dismiss((action, {k: v for k, v in typed.items() if v is not None}))

    def action_cancel(self) -> None:
        """Run nothing."""
        self.dismiss(None)


def _forwarded(event: events.Key) -> bool:
    return bool(getattr(event, "_crmtui_forwarded", False))


def target(main: MainScreen) -> Record | None:
    """The record the user is looking at: the detail pane's, else the list cursor's."""
    return main.shown or main.records.current


def entity_of(main: MainScreen, record: Record) -> EntitySpec | None:
    """The entity of `record`: the list's, or that of a record reached by following (f)."""
    if main.entity is not None and record.entity == main.entity.name:
        return main.entity
    followed = main.shown_spec[0] if main.shown_spec else None
    return followed if followed is not None and followed.name == record.entity else main.entity


def open_actions(main: MainScreen) -> None:
    """`a`: the actions of the record on screen."""
    record = target(main)
    entity = entity_of(main, record) if record is not None else None
    if record is None or entity is None:
        main.notify("No record to act on.", severity="warning")
        return
    can_copy = len(getattr(main.app, "profiles", ())) > 1
    if not can_copy and write_refused(main, main.session, WritePath.ACTION):
        return
    work = _list_actions(main, record, entity, can_copy)
    main.run_worker(work, group="actions", exclusive=True)


async def _list_actions(
    main: MainScreen, record: Record, entity: EntitySpec, can_copy: bool
) -> None:
    actions = await main.session.backend.actions(entity.name)
    if can_copy:  # writes on the other profile, whatever this one allows
        actions = [*actions, COPY]
    if not actions:
        main.notify(f"{plain(entity.label)} has no record actions here.", timeout=4)
        return

    def picked(result: tuple[ActionSpec, dict[str, Any]] | None) -> None:
        if result is None:
            return
        action, params = result
        if action is COPY:
            from crmtui.ui.screens.copy_record import open_copy

            open_copy(main)
            return
        if write_refused(main, main.session, WritePath.ACTION):
            return
        table = Table.grid(padding=(0, 2))
        labels = {p.name: p.label for p in action.params}
        for name, value in params.items():
            table.add_row(plain(labels.get(name, name)), plain(value))
        confirm_write(
            main,
            main.session,
            WritePath.ACTION,
            lambda: _run(main, record, entity, action, params),
            title=f"{action.label} on {record.title(entity)}?",
            body=table,
            label="Run",
        )

    main.app.push_screen(ActionsScreen(main, record, actions, entity), picked)


def _run(
    main: MainScreen,
    record: Record,
    entity: EntitySpec,
    action: ActionSpec,
    params: dict[str, Any],
) -> None:
    main.run_worker(_run_action(main, record, entity, action, params), group="writes")


async def _run_action(
    main: MainScreen,
    record: Record,
    entity: EntitySpec,
    action: ActionSpec,
    params: dict[str, Any],
) -> None:
    name = entity.name
    try:
        message = await edits.run_action(main.session, name, record.id, action.name, params)
    except CrmError as exc:
        info = describe(exc)
        main.notify(plain(info.message), title=f"{plain(action.label)} failed", severity="error")
        return
    main.notify(plain(message) or "Done.", title=plain(action.label), timeout=6)
    await _refresh(main, entity, record.id)


async def _refresh(main: MainScreen, entity: EntitySpec, record_id: str) -> None:
    """Show the record as the vendor holds it now (it may be gone: then say nothing more)."""
    backend = main.session.backend
    try:
        fresh = await backend.get(entity.name, record_id)
        fields = await backend.fields(entity.name)
    except CrmError:
        return
    if entity is main.entity:
        main.records.replace_record(fresh)
        main.show_detail(fresh, apart=main.apart)
        return
    main.show_detail(fresh, apart=True)  # a followed record: shown with its own entity's fields
    main.shown_spec = (entity, fields)
    main.query_one(DetailPane).show(fresh, fields, entity)


def open_revert(main: MainScreen, *, any_record: bool = False) -> None:
    """`z`: undo the last change to the record on screen (or the last change anywhere)."""
    record = None if any_record else target(main)
    if main.entity is None or (record is None and not any_record):
        return
    entity = None if any_record else main.entity.name
    try:
        entry = outbox.last_revertible(main.session, entity, record.id if record else None)
    except UsageError:
        whose = "" if record is None else f" to {plain(record.title(main.entity))}"
        main.notify(f"Nothing to revert{whose}: no applied change in the journal.", timeout=4)
        return
    plan = [Change(name, now, then) for name, now, then in outbox.revert_plan(entry)]
    title = f"Revert the {entry.op.value} {entry.id} of {entry.target()}?"

    confirm_write(
        main,
        main.session,
        WritePath.REVERT,
        lambda: main.run_worker(_revert(main, entity, record), group="writes"),
        title=title,
        body=changes_table(plan, main.fields),
        label="Revert",
        always_ask=True,  # an undo says what it will undo first, whatever the mode
    )


async def _revert(main: MainScreen, entity: str | None, record: Record | None) -> None:
    try:
        entry, now = await outbox.revert_last(main.session, entity, record.id if record else None)
    except CrmError as exc:
        info = describe(exc)
        main.notify(plain(info.message), title="Not reverted", severity="error", timeout=8)
        return
    main.notify(f"Reverted {entry.id} ({entry.op.value}).", timeout=4)
    if now is not None and main.entity is not None and now.entity == main.entity.name:
        main.records.replace_record(now)
        main.show_detail(now, apart=main.apart)
