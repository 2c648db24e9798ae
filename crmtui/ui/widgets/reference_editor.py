"""A reference field on one line: type a name, ↑/↓ pick among the matches, enter takes the id.

The matches come from a lookup function the form passes in (a service call); the widget itself
never builds a request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Static

from crmtui.ui.text import plain

Lookup = Callable[[str, str], Awaitable[Sequence[Any]]]
"""(target entity, typed text) -> candidates with `.id` and `.title`."""
PAUSE = 0.25  # seconds of no typing before looking up


class ReferenceEditor(Horizontal):
    """An id input with the names it may mean shown beside it."""

    DEFAULT_CSS = """
    ReferenceEditor { height: 1; width: 1fr; padding: 0; border: none; }
    ReferenceEditor > Input { width: 1fr; height: 1; border: none; padding: 0 1; }
    ReferenceEditor > Input:focus { background: $primary 25%; }
    ReferenceEditor > .reference-hint {
        width: auto; max-width: 60%; height: 1; color: $text-muted; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """
    DEFAULT_CLASSES = "field-editor"

    def __init__(
        self,
        value: str,
        target: str,
        lookup: Lookup,
        *,
        id: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(id=id, disabled=disabled)
        self.target = target
        self.lookup = lookup
        self.input = Input(
            value,
            placeholder="" if disabled else "type a name or an id",
            compact=True,
            select_on_focus=False,
            disabled=disabled,
        )
        self.candidates: list[Any] = []
        self.picked = 0
        self._timer: Timer | None = None
        self._settled = value  # the text last set by a pick (no lookup for it)

    def compose(self) -> ComposeResult:
        """The input and the hint."""
        yield self.input
        yield Static("", classes="reference-hint", markup=False)

    @property
    def value(self) -> str:
        """The id as it stands (what was typed, or the id of the picked record)."""
        return self.input.value

    def on_input_changed(self, event: Input.Changed) -> None:
        """Look up the names matching what was typed, once the typing pauses."""
        if self._timer is not None:
            self._timer.stop()
        if event.value == self._settled:
            return  # the picked id (its name stays shown)
        if event.value.strip():
            self._timer = self.set_timer(PAUSE, lambda: self.search(event.value))
        else:
            self.show([])

    @work(exclusive=True, group="reference-lookup", exit_on_error=False)
    async def search(self, text: str) -> None:
        """Ask the lookup, then show what it found."""
        try:
            found = list(await self.lookup(self.target, text))
        except Exception as exc:  # a failed lookup leaves the typed text as it is
            self.hint(Text(f"lookup failed: {plain(str(exc))[:60]}"))
            return
        if self.input.value == text:
            self.show(found)

    def show(self, candidates: list[Any]) -> None:
        """Show the candidates (the picked one first)."""
        self.candidates = candidates
        self.picked = 0
        self._render_hint()

    def _render_hint(self) -> None:
        if not self.candidates:
            typed = self.input.value.strip()
            self.hint(Text("no match: kept as an id" if typed and typed != self._settled else ""))
            return
        best = self.candidates[self.picked]
        text = Text(no_wrap=True, overflow="ellipsis")
        if len(self.candidates) > 1:
            text.append(f"↑↓ {self.picked + 1}/{len(self.candidates)} ", style="dim")
        text.append(f"↵ {plain(best.title)} ({plain(best.id)})")
        self.hint(text)

    def hint(self, text: Text) -> None:
        """Set the line beside the input."""
        self.query_one(".reference-hint", Static).update(text)

    def on_key(self, event: events.Key) -> None:
        """↑/↓ choose among the matches while there are any."""
        if self.candidates and event.key in ("up", "down"):
            step = 1 if event.key == "down" else -1
            self.picked = (self.picked + step) % len(self.candidates)
            self._render_hint()
            event.stop()
            event.prevent_default()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter takes the picked record's id (else it moves on, as in any field)."""
        if not self.candidates:
            return
        event.stop()
        best = self.candidates[self.picked]
        self._settled = best.id
        self.input.value = best.id
        self.candidates = []
        self.hint(Text(f"= {plain(best.title)}", no_wrap=True))
