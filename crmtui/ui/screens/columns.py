"""The column chooser: which fields the record list shows; ticks are [x] and [ ] in every theme."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList

from crmtui.model import FieldSpec
from crmtui.ui.text import plain
from crmtui.ui.widgets.key_footer import KeyFooter


def tick_line(spec: FieldSpec, ticked: bool) -> Text:
    """`[x] Label (name)` or `[ ] Label (name)`: a glyph, not a colour, says which."""
    text = Text("[x] " if ticked else "[ ] ", style="bold" if ticked else "", no_wrap=True)
    text.append(plain(spec.label), style="bold" if ticked else "")
    text.append(f" ({plain(spec.name)})", style="dim")
    return text


class ColumnsScreen(ModalScreen[list[str] | None]):
    """Space toggles a field, enter applies, escape cancels; dismisses with the chosen names.

    The columns already shown keep their order (moved with [ and ] in the list); fields ticked
    here are added after them.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "Tick", id="columns.toggle", priority=True),
        Binding("enter", "apply", "Apply", id="columns.apply", priority=True),
        Binding("escape", "cancel", "Cancel", id="columns.cancel"),
    ]
    DEFAULT_CSS = """
    ColumnsScreen { align: center middle; }
    ColumnsScreen > Vertical {
        width: 60; max-width: 100%; height: 80%; border: round $accent; background: $surface;
    }
    ColumnsScreen OptionList { height: 1fr; }
    """

    def __init__(self, fields: list[FieldSpec], chosen: list[str]) -> None:
        super().__init__()
        self.fields = fields
        self.chosen = list(chosen)
        self.ticked = set(chosen)

    def compose(self) -> ComposeResult:
        """One line per field, ticked or not."""
        with Vertical():
            yield Label("Columns — space toggles, enter applies, esc cancels", markup=False)
            yield OptionList(
                *(tick_line(f, f.name in self.ticked) for f in self.fields), id="columns-list"
            )
        yield KeyFooter()  # its own keys, over the main screen's (which do nothing here)

    def on_mount(self) -> None:
        """Start on the first field."""
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @property
    def selected(self) -> list[str]:
        """The ticked fields: the shown ones in their order, then the others in field order."""
        names = [n for n in self.chosen if n in self.ticked]
        return names + [
            f.name for f in self.fields if f.name in self.ticked and f.name not in names
        ]

    def action_tick(self) -> None:
        """Tick or untick the highlighted field."""
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return
        spec = self.fields[index]
        self.ticked.symmetric_difference_update({spec.name})
        options.replace_option_prompt_at_index(index, tick_line(spec, spec.name in self.ticked))

    def action_apply(self) -> None:
        """Dismiss with the chosen fields (at least one)."""
        names = self.selected
        if not names:
            self.notify("Choose at least one column.", severity="warning")
            return
        self.dismiss(names)

    def action_cancel(self) -> None:
        """Keep the columns as they were."""
        self.dismiss(None)
