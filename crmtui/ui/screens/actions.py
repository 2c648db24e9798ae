"""Record actions (convert a lead, close a task…) with their parameters, and revert, in the TUI.

Both act on the record in the detail pane and go through the journal (services.edits and
services.outbox), honouring the profile's write mode, exactly as `crmtui action` and
`crmtui outbox revert` do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from crmtui.errors import CrmError, UsageError, describe
from crmtui.model import ActionSpec, Change, EntitySpec, Record
from crmtui.services import edits, outbox
from crmtui.services.write_policy import WritePath
from crmtui.ui.confirm import confirm_write, write_refused
from crmtui.ui.screens.action_picker import ActionsScreen
from crmtui.ui.screens.dialogs import changes_table
from crmtui.ui.text import plain
from crmtui.ui.widgets.detail import DetailPane

if TYPE_CHECKING:
    from crmtui.ui.screens.main import MainScreen

__all__ = ["COPY", "ActionsScreen", "entity_of", "open_actions", "open_revert", "target"]

COPY = ActionSpec("crmtui.copy", "Copy to another CRM…", writes=False)
"""Not the vendor's: copies the record to another profile (ui.screens.copy_record)."""


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
