"""ConflictScreen: changed elsewhere — per field loaded / theirs / mine, chosen per field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet, Static

from crmtui.model import FieldSpec
from crmtui.services.edits import FieldConflict
from crmtui.ui.screens.dialogs import DIALOG_CSS
from crmtui.ui.text import plain

Choice = Literal["mine", "theirs"]


class ConflictScreen(ModalScreen[dict[str, Choice] | None]):
    """Dismisses with a choice per conflicting field, or None to decide later (kept in outbox)."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ConflictScreen")
        + """
    ConflictScreen .conflict-field { height: auto; margin: 0 0 1 0; }
    ConflictScreen .conflict-name { text-style: bold; }
    ConflictScreen RadioSet { width: 100%; height: auto; }
    """
    )
    BINDINGS = [
        Binding("m", "all('mine')", "All mine", id="conflict.mine"),
        Binding("t", "all('theirs')", "All theirs", id="conflict.theirs"),
        Binding("escape", "later", "Decide later", id="conflict.later"),
    ]

    def __init__(
        self, title: str, conflicts: Sequence[FieldConflict], fields: Sequence[FieldSpec] = ()
    ) -> None:
        super().__init__()
        self.title_text = title
        self.conflicts = list(conflicts)
        self.specs = {f.name: f for f in fields}

    def compose(self) -> ComposeResult:
        """One block per field: its loaded value, and a choice of theirs or mine."""
        with Vertical():
            yield Label(Text(plain(self.title_text)), classes="dialog-title")
            yield Static(
                Text("Changed elsewhere since you loaded it. Nothing was overwritten."),
                markup=False,
            )
            with VerticalScroll():
                for index, c in enumerate(self.conflicts):
                    spec = self.specs.get(c.field)
                    label = spec.label if spec is not None else c.field
                    with Vertical(classes="conflict-field"):
                        yield Label(Text(plain(label)), classes="conflict-name")
                        yield Label(Text(f"loaded: {_shown(c.loaded, spec)}"))
                        with RadioSet(id=f"choice-{index}"):
                            yield RadioButton(
                                Text(f"theirs: {_shown(c.theirs, spec)}"), value=False
                            )
                            yield RadioButton(Text(f"mine: {_shown(c.mine, spec)}"), value=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Later", id="later")
                yield Button("Apply choices", id="apply", variant="primary")

    def choices(self) -> dict[str, Choice]:
        """The choice made for each field (mine unless theirs is picked)."""
        picked: dict[str, Choice] = {}
        for index, c in enumerate(self.conflicts):
            radio = self.query_one(f"#choice-{index}", RadioSet)
            picked[c.field] = "theirs" if radio.pressed_index == 0 else "mine"
        return picked

    def action_all(self, which: Choice) -> None:
        """Pick the same side for every field."""
        for index in range(len(self.conflicts)):
            radio = self.query_one(f"#choice-{index}", RadioSet)
            buttons = list(radio.query(RadioButton))
            buttons[0 if which == "theirs" else 1].value = True

    def action_later(self) -> None:
        """Keep the edit pending in the outbox."""
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        self.dismiss(self.choices())

    @on(Button.Pressed, "#later")
    def _later(self) -> None:
        self.dismiss(None)


def _shown(value: object, spec: FieldSpec | None) -> str:
    text = plain(value, spec)
    return text if text else "(empty)"
