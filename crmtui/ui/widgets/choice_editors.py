"""One-line editors for the compact form: an inline choice picker and a yes/no toggle.

Both take their keys themselves (and stop them), so a letter typed on them never reaches an
app-wide binding: on a choice, letters jump to the first choice that starts with them.
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from crmtui.model import Choice
from crmtui.ui.text import plain

TYPE_AHEAD = 1.0  # seconds between letters that still add to the same prefix


class EditorChanged(Message):
    """A one-line editor's value changed (the form field checks it at once)."""

    def __init__(self, editor: Widget) -> None:
        super().__init__()
        self.editor = editor


class ChoiceEditor(Widget, can_focus=True):
    """The choices on one line, the chosen one highlighted.

    ←/→ step through them, letters jump to a choice by its first letters, backspace clears.
    """

    DEFAULT_CSS = """
    ChoiceEditor { height: 1; width: 1fr; padding: 0; }
    ChoiceEditor > .choice-editor--chosen { text-style: bold reverse; }
    ChoiceEditor > .choice-editor--other { text-style: none; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"choice-editor--chosen", "choice-editor--other"}
    DEFAULT_CLASSES = "field-editor"

    def __init__(
        self,
        choices: list[Choice],
        value: str | None,
        *,
        required: bool = False,
        id: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(id=id, disabled=disabled)
        self.choices = list(choices)
        if value is not None and all(c.value != value for c in self.choices):
            self.choices.append(Choice(value, value))  # keep a value the vendor no longer lists
        self.required = required
        self.value: str | None = value
        self._typed = ""
        self._typed_at = 0.0

    @property
    def index(self) -> int | None:
        """The position of the chosen value (None when blank)."""
        for i, choice in enumerate(self.choices):
            if choice.value == self.value:
                return i
        return None

    def set_value(self, value: str | None) -> None:
        """Choose `value` (None: blank) and say so."""
        if value != self.value:
            self.value = value
            self.refresh()
            self.post_message(EditorChanged(self))

    def step(self, by: int) -> None:
        """Choose the next (1) or previous (-1) choice, wrapping; blank sits before the first."""
        if not self.choices:
            return
        slots: list[str | None] = [c.value for c in self.choices]
        if not self.required or self.value is None:
            slots.insert(0, None)
        here = slots.index(self.value) if self.value in slots else 0
        self.set_value(slots[(here + by) % len(slots)])

    def type_ahead(self, char: str) -> bool:
        """Jump to the first choice whose label (or value) starts with what was typed."""
        now = time.monotonic()
        self._typed = (self._typed if now - self._typed_at < TYPE_AHEAD else "") + char.lower()
        self._typed_at = now
        for prefix in (self._typed, char.lower()):
            for choice in self.choices:
                if choice.label.lower().startswith(prefix) or choice.value.lower().startswith(
                    prefix
                ):
                    self._typed = prefix
                    self.set_value(choice.value)
                    return True
        return False

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("left", "right"):
            self.step(-1 if event.key == "left" else 1)
        elif event.key in ("backspace", "delete"):
            if not self.required:
                self.set_value(None)
        elif event.is_printable and event.character and event.key != "space":
            if not self.type_ahead(event.character):
                self.app.bell()
        elif event.key == "space":
            self.step(1)
        else:
            return
        event.stop()
        event.prevent_default()

    def render(self) -> Text:
        """The chosen value, then (while focused) the other choices in order."""
        chosen = self.get_component_rich_style("choice-editor--chosen", partial=True)
        other = self.get_component_rich_style("choice-editor--other", partial=True)
        label = next((c.label for c in self.choices if c.value == self.value), "(none)")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(f" {plain(label)} ", style=chosen if self.has_focus else "")
        if self.has_focus and self.choices:
            text.append("  ")
            here = self.index or 0
            ordered = self.choices[here + 1 :] + self.choices[:here]
            text.append(" · ".join(plain(c.label) for c in ordered), style=other)
        elif not self.has_focus:
            text.append("  ◂▸", style=other)
        return text

    def on_focus(self) -> None:
        """The other choices show while focused."""
        self.refresh()

    on_blur = on_focus


class ToggleEditor(Widget, can_focus=True):
    """[x] yes / [ ] no: space, enter or ←/→ flip it; y/n/1/0 set it."""

    DEFAULT_CSS = """
    ToggleEditor { height: 1; width: 1fr; padding: 0 1; }
    """
    DEFAULT_CLASSES = "field-editor"

    def __init__(self, value: bool, *, id: str | None = None, disabled: bool = False) -> None:
        super().__init__(id=id, disabled=disabled)
        self.value = value

    def set_value(self, value: bool) -> None:
        """Set it and say so."""
        if value != self.value:
            self.value = value
            self.refresh()
            self.post_message(EditorChanged(self))

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("space", "enter", "left", "right"):
            self.set_value(not self.value)
        elif event.character and event.character.lower() in ("y", "t", "1"):
            self.set_value(True)
        elif event.character and event.character.lower() in ("n", "f", "0"):
            self.set_value(False)
        elif event.is_printable:
            self.app.bell()
        else:
            return
        event.stop()
        event.prevent_default()

    def render(self) -> Text:
        """A box with a cross, and the word."""
        return Text("[x] yes" if self.value else "[ ] no", no_wrap=True, end="")
