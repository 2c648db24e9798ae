"""The console's fields: they leave the toggle key (`) to the screen; the request line shows a
working example as its placeholder, typed in with →."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TextArea

TOGGLE_KEYS = frozenset({"grave_accent"})
"""Printable keys the console's fields do not type, so that they close the console."""


class _LeavesToggle:
    """Tell Textual the toggle key is not typed here (it then reaches the screen's binding)."""

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Every printable key but the toggle is text."""
        if key in TOGGLE_KEYS:
            return False
        consumed: bool = super().check_consume_key(key, character)  # type: ignore[misc]
        return consumed


class ConsoleInput(_LeavesToggle, Input):
    """A one-line console field."""

    def __init__(self, **options: Any) -> None:
        super().__init__(compact=True, **options)


class ConsoleTextArea(_LeavesToggle, TextArea):
    """The request body editor."""


class ExampleInput(ConsoleInput):
    """A field whose placeholder is a working example; → on the empty field types it in."""

    def __init__(self, example: str, *, hint: str = "", id: str | None = None) -> None:
        shown = f"{example}   (→ fills this in)" if example else hint
        super().__init__(placeholder=shown, id=id)
        self.example = example

    def action_cursor_right(self, select: bool = False) -> None:
        """At the end of an empty field, → takes the example; elsewhere it moves as usual."""
        if not self.value and self.example:
            self.value = self.example
            self.cursor_position = len(self.value)
            return
        super().action_cursor_right(select)
