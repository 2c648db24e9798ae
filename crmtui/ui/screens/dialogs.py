"""Modal dialogs: confirm an action, and confirm a delete by typing the record's id or name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from crmtui.model import Change, FieldSpec
from crmtui.ui.text import plain
from crmtui.ui.widgets.key_footer import KeyFooter

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 80%; max-width: 100; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2;
}}
{name} .dialog-title {{ text-style: bold; width: 100%; margin: 0 0 1 0; }}
{name} VerticalScroll {{ height: auto; max-height: 20; }}
{name} .dialog-buttons {{ height: auto; margin: 1 0 0 0; align-horizontal: right; }}
{name} Button {{ margin: 0 0 0 2; }}
"""


def changes_table(changes: Sequence[Change], fields: Sequence[FieldSpec]) -> Table:
    """The changed fields as `label  old -> new` rows (vendor values made safe)."""
    specs = {f.name: f for f in fields}
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=True)
    table.add_column("Field", no_wrap=True)
    table.add_column("Before", overflow="fold", style="red")
    table.add_column("", no_wrap=True, width=2)
    table.add_column("After", overflow="fold", style="green")
    for change in changes:
        spec = specs.get(change.field)
        label = spec.label if spec is not None else change.field
        table.add_row(
            Text(plain(label)),
            Text(_shown(change.old, spec)),
            "->",
            Text(_shown(change.new, spec)),
        )
    return table


def _shown(value: Any, spec: FieldSpec | None) -> str:
    text = plain(value, spec)
    return text if text else "(empty)"


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True only when the user confirms."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")
    BINDINGS = [
        Binding("y", "confirm", "Yes", id="confirm.yes"),
        Binding("n,escape", "cancel", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, body: RenderableType, *, confirm_label: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        """Title, body, buttons."""
        with Vertical():
            yield Label(Text(plain(self.title_text)), classes="dialog-title")
            with VerticalScroll():
                yield Static(self.body, id="confirm-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("No (n)", id="no")
                yield Button(f"{self.confirm_label} (y)", id="yes", variant="primary")
        yield KeyFooter()  # its own keys, over the main screen's (which do nothing here)

    def on_mount(self) -> None:
        """Start on the confirm button, so enter confirms (a y typed in the same burst as the
        key that opened the dialog may already have closed it)."""
        for button in self.query("#yes").results(Button):
            button.focus()

    def action_confirm(self) -> None:
        """Confirm."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Cancel."""
        self.dismiss(False)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)


class DeleteScreen(ModalScreen[bool]):
    """Confirm a delete: the user must type the record's id or its name."""

    DEFAULT_CSS = DIALOG_CSS.format(name="DeleteScreen") + (
        "DeleteScreen > Vertical { border: thick $error; }\n"
        "DeleteScreen #delete-hint { color: $text-muted; }\n"
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="delete.cancel")]

    def __init__(self, record_label: str, record_id: str) -> None:
        super().__init__()
        self.record_label = record_label
        self.record_id = record_id

    def compose(self) -> ComposeResult:
        """The question, the record, a box to type into, buttons."""
        name = plain(self.record_label)
        rid = plain(self.record_id)
        prompt = Text("Delete ")
        prompt.append(name, style="bold")
        prompt.append(f" (id {rid})?", style="bold")
        with Vertical():
            yield Label(prompt, classes="dialog-title")
            yield Static(
                Text(
                    f"This cannot be undone. Type the record's id ({rid}) or its name to confirm."
                ),
                id="delete-hint",
            )
            yield Input(placeholder=rid, id="delete-input", select_on_focus=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Delete", id="delete", variant="error", disabled=True)
        yield KeyFooter()  # its own keys, over the main screen's (which do nothing here)

    def on_mount(self) -> None:
        """Focus the typing box."""
        self.query_one("#delete-input", Input).focus()

    def matches(self, typed: str) -> bool:
        """Whether `typed` is the record's id (exactly) or its name (ignoring case and spaces)."""
        typed = typed.strip()
        if not typed:
            return False
        if typed == self.record_id.strip():
            return True
        name = self.record_label.strip()
        return bool(name) and typed.casefold() in {name.casefold(), plain(name).casefold()}

    @on(Input.Changed, "#delete-input")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#delete", Button).disabled = not self.matches(event.value)

    @on(Input.Submitted, "#delete-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.matches(event.value):
            self.dismiss(True)
        else:
            self.notify("Type the record's id or name exactly to delete it.", severity="warning")

    @on(Button.Pressed, "#delete")
    def _delete(self) -> None:
        if self.matches(self.query_one("#delete-input", Input).value):
            self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(False)

    def action_cancel(self) -> None:
        """Do not delete."""
        self.dismiss(False)
