"""The triage screen's state and what it shows: the record, its fields and choices, a message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from crmtui.model import FieldSpec, Record
from crmtui.ui.screens.triage_view import choices_view, fields_view, record_view
from crmtui.ui.text import plain
from crmtui.ui.widgets.key_footer import ScreenFooter

if TYPE_CHECKING:
    from crmtui.ui.screens.main import MainScreen


class TriageFooter(ScreenFooter):
    """The triage keys in the screen's order; when narrow, Field (its keys are on the screen),
    Previous and Undo leave first, so Next and Leave stay."""

    DROP_FIRST = ("next_field", "step(-1)", "undo")


@dataclass(frozen=True)
class Done:
    """One change triage made (what `z` reverts)."""

    record_id: str
    index: int
    field: str


class TriageBase(Screen[None]):
    """What `TriageScreen` shows, and moving between its records and fields."""

    # Set by TriageScreen from the keys its bindings leave free.
    taken: frozenset[str]
    keys: dict[str, FieldSpec]
    field: FieldSpec | None

    def __init__(self, main: MainScreen) -> None:
        super().__init__()
        self.main = main
        self.session = main.session
        assert main.entity is not None
        self.entity = main.entity
        self.fields = main.fields
        self.index = max(main.records.cursor, 0)
        self.done: list[Done] = []

    def compose(self) -> ComposeResult:
        """Title, the record, the fields and their keys, the choices and theirs, a message."""
        yield Static(id="triage-title")
        yield Static(id="triage-record")
        yield Static(id="triage-fields")
        yield Static(id="triage-choices")
        yield Static(id="triage-message")
        yield TriageFooter()  # its own keys, as the main screen and the dialogs show theirs

    def on_mount(self) -> None:
        """Show the first record (pages load as the list's cursor moves)."""
        if self.field is None:
            self.say(f"{plain(self.entity.label)} has no field with choices to triage.", True)
        self.show()

    @property
    def record(self) -> Record | None:
        """The record being triaged (None while its page is on its way)."""
        return self.main.records.record_at(self.index)

    # -- showing ----------------------------------------------------------------------------------
    def show(self) -> None:
        """Paint everything for the current record and field."""
        records = self.main.records
        records.cursor = self.index  # the list (and its pages) follow
        total = records.row_count
        title = Text(f"Triage {plain(self.entity.label)} · {self.index + 1:,} of {total:,}")
        if self.done:
            title.append(f" · {len(self.done)} set (z undoes the last)", style="dim")
        self.query_one("#triage-title", Static).update(title)
        record = self.record
        view = record_view(record, self.entity, self.fields, self.keys)
        self.query_one("#triage-record", Static).update(view)
        self.query_one("#triage-fields", Static).update(fields_view(self.keys, self.field))
        self.query_one("#triage-choices", Static).update(
            choices_view(record, self.field, self.taken)
        )
        if record is None:
            self.set_timer(0.2, self.show)  # its page is on its way

    def say(self, text: str, error: bool = False) -> None:
        """The line under the choices."""
        message = self.query_one("#triage-message", Static)
        message.update(Text(plain(text)))
        message.set_class(error, "-error")

    def action_step(self, by: int) -> None:
        """Move to the next or previous record."""
        last = max(self.main.records.row_count - 1, 0)
        self.index = max(0, min(self.index + by, last))
        self.say("")
        self.show()

    def action_next_field(self) -> None:
        """Tab: the next field."""
        fields = list(self.keys.values())
        if fields and self.field is not None:
            self.field = fields[(fields.index(self.field) + 1) % len(fields)]
            self.show()

    def action_leave(self) -> None:
        """Back to the list, the cursor on the last record seen."""
        self.dismiss(None)
