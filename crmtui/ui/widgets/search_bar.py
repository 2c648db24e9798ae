"""The search bar opened by `/`: server-side search where the vendor can, else a local filter."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from crmtui.ui.messages import SearchSubmitted


class SearchBar(Input):
    """An input that submits its text as SearchSubmitted; escape closes it (and clears)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close search", id="search.close"),
    ]
    DEFAULT_CSS = """
    SearchBar { display: none; height: 3; }
    SearchBar.-open { display: block; }
    """

    def open(self, placeholder: str) -> None:
        """Show the bar, focused, with `placeholder` saying what the search does."""
        self.placeholder = placeholder
        self.add_class("-open")
        # At once, not after a refresh: keys typed right after `/` (one burst) land here.
        self.screen.set_focus(self)

    def action_close(self) -> None:
        """Hide the bar and clear the search."""
        self.value = ""
        self.remove_class("-open")
        self.post_message(SearchSubmitted(""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Hand the text to the screen."""
        event.stop()
        self.post_message(SearchSubmitted(event.value.strip()))
