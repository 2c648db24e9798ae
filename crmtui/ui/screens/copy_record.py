"""Copy the shown record to another CRM from the TUI (palette, or the record actions menu `a`).

Choose the target profile; its session is opened and `services.copy.preview` says what would be
sent (each source value -> target field, every source field left unmapped, create or update of
the person found there by email); the preview is the confirmation, asked through the shared write
policy of the target profile; `services.copy.apply` writes through the target's journal. Nothing
here builds a request; the target's session is closed when the copy is done or dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll

from crmtui.errors import ConfigError, CrmError, describe
from crmtui.model import EntitySpec, Record
from crmtui.services import copy
from crmtui.services.write_policy import WritePath
from crmtui.ui.confirm import confirm_write, write_refused
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.screens.pick import PickScreen
from crmtui.ui.text import plain

if TYPE_CHECKING:
    from crmtui.services.session import Session
    from crmtui.ui.app import CrmApp
    from crmtui.ui.screens.main import MainScreen

GROUP = "copy"


def open_copy(main: MainScreen) -> None:
    """Ask which profile to copy the shown record to, then preview the copy."""
    from crmtui.ui.screens.actions import entity_of

    record = main.target
    entity = entity_of(main, record) if record is not None else None
    if record is None or entity is None:
        main.notify("No record to copy.", severity="warning")
        return
    app: CrmApp = main.app  # type: ignore[assignment]
    here = main.session.profile.name
    others = [name for name in app.profiles if name != here]
    if not others:
        main.notify("There is no other profile to copy to.", severity="warning")
        return

    def picked(index: int | None) -> None:
        if index is not None:
            main.run_worker(
                _preview(main, record, entity, others[index]),
                group=GROUP,
                exclusive=True,
                exit_on_error=False,
            )

    title = f"Copy {record.title(entity)} to which profile?"
    app.push_screen(PickScreen(title, others), picked)


def saved_mapping(app: CrmApp, source: str, target: str) -> dict[str, str]:
    """The mapping saved for this profile pair in the profile file (none for the demo)."""
    if app.config_path is None:
        return {}
    from crmtui.profiles.loader import load_config

    try:
        config = load_config(app.config_path)
    except ConfigError:
        return {}
    return dict(config.mappings.get(f"{source}->{target}", {}))


async def _preview(main: MainScreen, record: Record, entity: EntitySpec, target: str) -> None:
    app: CrmApp = main.app  # type: ignore[assignment]
    assert app.opener is not None
    source = main.session.profile.name
    main.status.set_work(f"preparing the copy to {plain(target)}…")
    try:
        dst = await app.opener(target)
    except Exception as exc:
        _failed(main, exc, f"Could not open {plain(target)}")
        return
    try:
        mapping = saved_mapping(app, source, target)
        plan = await copy.preview(main.session, dst, entity.name, record.id, mapping=mapping)
    except Exception as exc:
        await dst.aclose()
        _failed(main, exc, "Copy not possible")
        return
    finally:
        main.status.set_work("")
    if plan.action == "unchanged":
        assert plan.existing is not None
        main.notify(
            f"{plain(target)} already holds it (id {plain(plan.existing.id)}) with the same "
            "values: nothing to send.",
            title="Copy",
            timeout=8,
        )
        await dst.aclose()
        return
    creating = plan.action == "create"
    path = WritePath.CREATE if creating else WritePath.EDIT
    if write_refused(main, dst, path):
        await dst.aclose()
        return
    label = "Create" if creating else "Update"
    dialog = CopyPreviewScreen(
        f"Copy {record.title(entity)} to {target}?", preview_text(plan), confirm_label=label
    )
    confirm_write(
        main,
        dst,
        path,
        lambda: main.run_worker(_apply(main, dst, plan), group=f"{GROUP}-write"),
        dialog=dialog,
        declined=lambda: main.run_worker(dst.aclose(), group=f"{GROUP}-close"),
        always_ask=True,  # the preview is shown whatever the mode: it says what will be sent
    )


def preview_text(plan: copy.Preview) -> Group:
    """The preview as the user sees it: what is sent where, what is not, create or update."""
    if plan.existing is None:
        head = f"Create a new {plan.entity} in {plan.target_profile}: none there has this email."
    else:
        count = len(plan.changes)
        head = (
            f"Update {plan.entity} {plan.existing.id} in {plan.target_profile} (same email): "
            f"{count} field(s) change."
        )
    parts: list[RenderableType] = [Text(plain(head), style="bold")]
    if plan.existing is None:
        sent = Table.grid(padding=(0, 1))
        for m in plan.mapped:
            said = "" if str(m.value) == m.shown else f" as {m.value!r}"
            sent.add_row(
                Text(plain(m.source), style="bold"),
                Text(plain(m.shown)),
                Text(f"-> {plain(m.target_label)}{plain(said)}"),
            )
        parts += [Text("Sent:"), sent]
    else:
        by_target = {m.target: f"{m.source} -> {m.target_label}" for m in plan.mapped}
        changes = Table.grid(padding=(0, 1))
        for change in plan.changes:
            changes.add_row(
                Text(plain(by_target.get(change.field, change.field)), style="bold"),
                Text(plain(change.old) or "(empty)", style="red"),
                Text("->"),
                Text(plain(change.new), style="green"),
            )
        parts += [Text("Changes sent:"), changes]
        changed = {c.field for c in plan.changes}
        same = [plain(m.target_label) for m in plan.mapped if m.target not in changed]
        if same:
            parts.append(Text(f"Already the same there: {', '.join(same)}", style="dim"))
    for name, value, why in plan.dropped:
        parts.append(Text(plain(f"Not sent: {name} {value!r}: {why}"), style="yellow"))
    if plan.unmapped:
        parts.append(Text(f"Unmapped source fields, not sent ({len(plan.unmapped)}):"))
        left = Table.grid(padding=(0, 1))
        for name, value in plan.unmapped:
            left.add_row(Text(plain(name)), Text(plain(value), style="dim"))
        parts.append(left)
    else:
        parts.append(Text("Every source field with a value is mapped.", style="dim"))
    return Group(*parts)


class CopyPreviewScreen(ConfirmScreen):
    """The preview as the confirm dialog; the preview scrolls so the buttons stay on screen."""

    def on_resize(self) -> None:
        """Leave room for the title and the buttons at any height."""
        scroll = self.query_one(VerticalScroll)
        scroll.styles.max_height = max(3, self.size.height - 15)


async def _apply(main: MainScreen, dst: Session, plan: copy.Preview) -> None:
    target = dst.profile.name
    try:
        done = await copy.apply(dst, plan)
    except CrmError as exc:
        _failed(main, exc, f"Copy to {plain(target)} failed")
        return
    finally:
        await dst.aclose()
    if done is None:
        main.notify("Nothing changed.", title="Copy", timeout=5)
        return
    verb = "Created" if plan.action == "create" else "Updated"
    main.notify(
        f"{verb} {plain(done.entity)} {plain(done.id)} in {plain(target)}.",
        title="Copy",
        timeout=10,
    )


def _failed(main: MainScreen, exc: BaseException, title: str) -> None:
    info = describe(exc)
    main.notify(plain(info.message), title=title, severity="error", timeout=10)
