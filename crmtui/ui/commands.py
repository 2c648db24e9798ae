"""The command palette: switch entity, profile and theme, toggle panes, export, help."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from crmtui.ui.text import plain
from crmtui.ui.vendor_views import views
from crmtui.ui.views import ask_export, view_commands

if TYPE_CHECKING:
    from crmtui.ui.app import CrmApp
    from crmtui.ui.screens.main import MainScreen

Command = tuple[str, Callable[[], Any], str]


def binding_commands(main: MainScreen) -> list[Command]:
    """The main screen's key bindings, so that every action is reachable from the palette."""
    from crmtui.ui.widgets.detail import DetailPane

    detail = main.query_one(DetailPane)
    return [
        ("Search or filter the list", main.action_search, "/"),
        ("Next match", main.action_new, "n while a filter is in force"),
        ("Previous match", main.action_find_previous, "N"),
        ("Edit record", main.action_edit, "e or enter: the record under the cursor"),
        ("New record", main.action_new, "n"),
        ("Delete record", main.action_delete, "d: asks first"),
        ("Reload list", main.action_reload, "r: from the first row"),
        ("Watch for changes", main.action_watch, "w: where the vendor can"),
        ("Sort by the current column", main.records.action_sort, "s in the list"),
        ("Mark or unmark record", main.records.action_toggle_mark, "space in the list"),
        ("Unmark all records", main.records.action_clear_marks, "u in the list"),
        ("Bulk edit marked records", main.action_bulk_edit, "B: set fields on every marked one"),
        ("Triage: one record at a time", main.action_triage, "t: one key sets a choice, z undoes"),
        ("Column: wider", partial(main.records.action_resize, 1), "> in the list"),
        ("Column: narrower", partial(main.records.action_resize, -1), "< in the list"),
        ("Column: move left", partial(main.records.action_move_column, -1), "[ in the list"),
        ("Column: move right", partial(main.records.action_move_column, 1), "] in the list"),
        ("Column: hide", main.records.action_hide_column, "- in the list; c shows it again"),
        ("Record actions", main.action_record_actions, "a: convert, close… on the shown record"),
        ("Copy to another CRM…", partial(copy_record, main), "preview, then create or update"),
        ("Revert the last change to this record", main.action_revert, "z: through the journal"),
        ("Revert the last change (any record)", partial(main.action_revert, True), "journal"),
        ("Follow the shown record's reference", main.action_follow, "f: its account, lead…"),
        ("Back to the record before", main.action_back, "[ or alt+left"),
        ("Forward to the next record", main.action_forward, "] or alt+right"),
        ("Copy field value", detail.action_copy, "c in the detail: to your clipboard (OSC 52)"),
        ("Toggle system names", detail.action_toggle_system_names, "s in the detail"),
        *console_commands(main),
    ]


def console_commands(main: MainScreen) -> list[Command]:
    """The raw-call console's actions, once it is open (none needs a function key)."""
    from crmtui.ui.widgets.console import ConsolePane

    found = main.query(ConsolePane)
    if not found or not found.first().display:
        return []
    pane = found.first()
    return [
        ("Console: send the request", pane.action_send, "ctrl+g or F5"),
        (
            "Console: copy as curl",
            pane.action_copy_curl,
            "ctrl+n or F6: secrets as shell variables",
        ),
        ("Console: copy the response body", pane.action_copy_body, "ctrl+b or F7"),
        ("Console: find in the body", partial(pane.action_prompt, "find"), "ctrl+f"),
        ("Console: search the history", partial(pane.action_prompt, "history"), "ctrl+r"),
        ("Console: save the request as…", partial(pane.action_prompt, "save"), "ctrl+s"),
        ("Console: open a saved request", partial(pane.action_prompt, "open"), "ctrl+o"),
    ]


def copy_record(main: MainScreen) -> None:
    """Copy the shown record to another profile (the screen is imported on first use)."""
    from crmtui.ui.screens.copy_record import open_copy

    open_copy(main)


def find_everywhere(app: CrmApp) -> None:
    """Ask for a text and search every profile (the screen is imported on first use)."""
    from crmtui.ui.screens.find_everywhere import ask_find_everywhere

    ask_find_everywhere(app)


class CrmCommands(Provider):
    """crmtui's own commands; names are inert text (entity labels come from the vendor)."""

    def commands(self) -> list[Command]:
        """Every command available now."""
        app: CrmApp = self.app  # type: ignore[assignment]
        found: list[Command] = []
        main = app.main_screen
        if main is not None:
            for spec in main.entities:
                found.append(
                    (
                        f"Open entity: {spec.label}",
                        partial(main.open_entity, spec.name),
                        f"show the {spec.name} list",
                    )
                )
            found += [
                ("Toggle entity pane", main.action_toggle_entities, "show or hide the entities"),
                ("Toggle detail pane", main.action_toggle_detail, "show or hide the detail"),
                ("Toggle console", main.action_toggle_console, "raw API calls (` or ctrl+t)"),
                ("Choose columns", main.action_columns, "pick the list's columns"),
                ("Jump to record by id", main.action_jump, "go to one record"),
                ("Export view to CSV", partial(ask_export, main, "csv"), "what the list shows"),
                ("Export view to JSON", partial(ask_export, main, "json"), "what the list shows"),
            ]
            found += views(main)
            found += view_commands(main)
            found += binding_commands(main)
        found.append(
            (
                "Find everywhere…",
                partial(find_everywhere, app),
                "an email, a name or an id, searched in every profile at once",
            )
        )
        for name in app.profiles:
            found.append(
                (f"Switch profile: {name}", partial(app.open_profile, name), "open another profile")
            )
        for theme in sorted(app.available_themes):
            found.append((f"Theme: {theme}", partial(app.choose_theme, theme), "change colours"))
        found.append(("Outbox: writes not applied yet", app.action_outbox, "retry, resolve (o)"))
        found.append(("Help: keys", app.action_help, "every binding"))
        return [(plain(name), run, plain(why)) for name, run, why in found]

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for name, run, why in self.commands():
            yield DiscoveryHit(Text(name), run, text=name, help=why)

    async def search(self, query: str) -> Hits:
        """Commands fuzzily matching `query`."""
        matcher = self.matcher(query)
        for name, run, why in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, Text(name), run, text=name, help=why)
