"""A small modal that asks for a record id to jump to."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from crmtui.ui.widgets.key_footer import KeyFooter


class JumpScreen(ModalScreen[str | None]):
    """Dismisses with the id typed (stripped), or None on escape or empty input."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="jump.cancel"),
    ]
    DEFAULT_CSS = """
    JumpScreen { align: center middle; }
    JumpScreen > Vertical { width: 60; height: auto; border: round $accent; padding: 0 1;
        background: $surface; }
    """

    def __init__(self, entity_label: str) -> None:
        super().__init__()
        self.entity_label = entity_label

    def compose(self) -> ComposeResult:
        """A label and an input."""
        with Vertical():
            yield Label(f"{self.entity_label}: go to the record with id", markup=False)
            yield Input(placeholder="record id", id="jump-id")
        yield KeyFooter()  # its own keys, over the main screen's (which do nothing here)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Dismiss with the id."""
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Dismiss without an id."""
        self.dismiss(None)
