"""A small numbered chooser: press an option's number (or move and press enter); esc cancels.

Used where one of a few things must be chosen at once: the reference to follow when a record
holds several, the profile a record is copied to.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from crmtui.ui.text import plain
from crmtui.ui.widgets.key_footer import KeyFooter

KEYS = "123456789"


class PickScreen(ModalScreen[int | None]):
    """Dismisses with the index of the chosen option, or None."""

    DEFAULT_CSS = """
    PickScreen { align: center middle; }
    PickScreen > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    PickScreen .pick-title { text-style: bold; }
    PickScreen OptionList { height: auto; max-height: 12; border: none; padding: 0; }
    PickScreen .pick-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
    ]

    def __init__(self, title: str, options: list[str], hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.hint = hint

    def compose(self) -> ComposeResult:
        """The title, the numbered options, a hint line."""
        with Vertical():
            yield Label(Text(plain(self.title_text)), classes="pick-title")
            yield OptionList(
                *(
                    Option(Text.assemble((f" {key} ", "bold reverse"), f" {plain(option)}"))
                    for key, option in zip(KEYS, self.options, strict=False)
                ),
                id="pick-options",
            )
            said = self.hint or "press a number, or move and press enter · esc cancels"
            yield Static(Text(said), classes="pick-hint")
        yield KeyFooter()  # its own keys, over the main screen's (which do nothing here)

    def on_mount(self) -> None:
        """The options have the focus, the first highlighted."""
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_key(self, event: events.Key) -> None:
        """A number picks its option at once."""
        if event.character and event.character in KEYS:
            event.stop()
            index = KEYS.index(event.character)
            if index < min(len(self.options), len(KEYS)):
                self.dismiss(index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an option picks it."""
        event.stop()
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        """Pick nothing."""
        self.dismiss(None)
