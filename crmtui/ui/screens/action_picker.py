"""The record actions picker: a number per action, its parameters asked on the same screen."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static

from crmtui.errors import ValidationFailed
from crmtui.model import ActionSpec, EntitySpec, Record
from crmtui.services.lookup import find as find_records
from crmtui.ui.text import plain
from crmtui.ui.widgets.form_fields import FormField
from crmtui.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from crmtui.ui.screens.main import MainScreen

KEYS = "123456789"


class ActionsScreen(ModalScreen[tuple[ActionSpec, dict[str, Any]] | None]):
    """Pick an action by its key; its parameters (if any) are asked on the same screen.

    Its own footer covers the main screen's, whose keys (e Edit, q Quit…) do nothing here: it
    shows esc, and ctrl+s once an action's form is shown.
    """

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
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+s runs only once an action's form is shown (and is in the footer only then)."""
        if action == "run":
            return self.chosen is not None
        return True

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
        self.refresh_bindings()
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
