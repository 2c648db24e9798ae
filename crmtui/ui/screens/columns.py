"""The column chooser: which fields the record list shows, in field order."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from crmtui.model import FieldSpec
from crmtui.ui.text import cell


class ColumnsScreen(ModalScreen[list[str] | None]):
    """Space toggles a field, enter applies, escape cancels; dismisses with the chosen names."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "apply", "Apply", id="columns.apply", priority=True),
        Binding("escape", "cancel", "Cancel", id="columns.cancel"),
    ]
    DEFAULT_CSS = """
    ColumnsScreen { align: center middle; }
    ColumnsScreen > Vertical {
        width: 60; height: 80%; border: round $accent; background: $surface;
    }
    ColumnsScreen SelectionList { height: 1fr; }
    """

    def __init__(self, fields: list[FieldSpec], chosen: list[str]) -> None:
        super().__init__()
        self.fields = fields
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        """One toggle per field."""
        with Vertical():
            yield Label("Columns — space toggles, enter applies", markup=False)
            yield SelectionList[str](
                *(
                    Selection(cell(f"{f.label} ({f.name})"), f.name, f.name in self.chosen)
                    for f in self.fields
                ),
                id="columns-list",
            )

    def action_apply(self) -> None:
        """Dismiss with the chosen fields in field order (at least one)."""
        selected = set(self.query_one(SelectionList).selected)
        names = [f.name for f in self.fields if f.name in selected]
        if not names:
            self.notify("Choose at least one column.", severity="warning")
            return
        self.dismiss(names)

    def action_cancel(self) -> None:
        """Keep the columns as they were."""
        self.dismiss(None)
