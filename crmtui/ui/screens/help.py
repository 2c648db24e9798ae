"""The help screen: the keys of the screen below, grouped by where they work, with their ids."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static


@dataclass(frozen=True)
class HelpRow:
    """One binding as the help screen lists it."""

    keys: str
    description: str
    binding_id: str
    where: str
    group: str = ""
    """Where the key works, in words (List, Detail, Console...)."""


GROUPS = {
    "MainScreen": "Browser",
    "RecordList": "List",
    "DetailPane": "Detail",
    "DetailFields": "Detail",
    "SearchBar": "Search bar",
    "EntityList": "Entities",
    "ConsolePane": "Console",
    "BodyView": "Console answer",
    "EditScreen": "Edit form",
    "OutboxScreen": "Outbox",
    "WatchScreen": "Watch",
    "JobsScreen": "Async jobs",
}


def group_of(node: DOMNode) -> str:
    """Where a node's keys work, as the help screen names it."""
    if isinstance(node, App):
        return "Everywhere"
    name = type(node).__name__
    return GROUPS.get(name) or name.removesuffix("Screen") or name


def _bindings_of(node: DOMNode, app: App[Any]) -> list[tuple[str, Binding]]:
    """(key, binding) pairs of `node`, with the user's keymap applied.

    Textual 8.2.8 keeps a node's merged bindings in `_bindings` and the keymap in `App._keymap`
    (the footer does the same); textual is pinned, so this is checked by the help tests.
    """
    bindings = node._bindings.copy()
    bindings.apply_keymap(app._keymap)
    return list(bindings)


def _where(node: DOMNode) -> str:
    if isinstance(node, App):
        return "everywhere"
    return type(node).__name__


def help_rows(app: App[Any], screen: Screen[Any] | None) -> list[HelpRow]:
    """Every binding of `app`, `screen`, and crmtui's own widgets on `screen`, one row each."""
    nodes: list[DOMNode] = []
    if screen is not None:
        nodes.append(screen)
        nodes.extend(
            node
            for node in screen.walk_children(with_self=False)
            if type(node).__module__.startswith("crmtui.")
        )
    nodes.append(app)
    rows: list[HelpRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for node in nodes:
        for key, binding in _bindings_of(node, app):
            where = _where(node)
            ident = (where, binding.action, binding.id or "")
            shown = app.get_key_display(binding.with_key(key))
            if ident in seen:  # one binding on several keys: one row, keys joined
                index = seen[ident]
                row = rows[index]
                if shown not in row.keys.split(", "):
                    rows[index] = replace(row, keys=f"{row.keys}, {shown}")
                continue
            description = binding.description or binding.tooltip
            if not description:  # Textual's own unnamed keys (ctrl+c's help_quit): not shown
                continue
            seen[ident] = len(rows)
            rows.append(HelpRow(shown, description, binding.id or "", where, group_of(node)))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists every binding (key, what it does, its id for `[keymap]`); any close key dismisses."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90%; max-width: 110; height: 90%; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; height: 1; margin: 0 0 1 0; }
    HelpScreen DataTable { height: 1fr; }
    HelpScreen #help-hint { height: auto; color: $text-muted; margin: 1 0 0 0; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        """Title, the table of bindings, a hint about remapping."""
        with Vertical():
            yield Label("Keys", id="help-title", markup=False)
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                Text(
                    "Remap any key by its id in the [keymap] table of the profile file, "
                    'e.g. "edit.save" = "ctrl+w".  Esc closes.'
                ),
                id="help-hint",
            )

    def on_mount(self) -> None:
        """Fill the table from the screen below this one."""
        stack = self.app.screen_stack
        below = stack[stack.index(self) - 1] if self in stack and stack.index(self) > 0 else None
        if below is not None:
            self.query_one("#help-title", Label).update(f"Keys: {group_of(below)}")
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Id for [keymap]")
        rows = help_rows(self.app, below)
        order = list(dict.fromkeys(row.group for row in rows))
        for group in order:
            table.add_row(Text(group, style="bold underline"), Text(""), Text(""))
            for row in (r for r in rows if r.group == group):
                table.add_row(
                    Text("  " + row.keys, style="bold"),
                    Text(row.description),
                    Text(row.binding_id or "—", style="dim"),
                )
        table.focus()

    @property
    def rows(self) -> list[HelpRow]:
        """The rows shown (for tests and the command palette)."""
        stack = self.app.screen_stack
        below = stack[stack.index(self) - 1] if self in stack and stack.index(self) > 0 else None
        return help_rows(self.app, below)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
