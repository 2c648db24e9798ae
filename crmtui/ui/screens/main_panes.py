"""The main screen's panes and views: columns, the entity, detail and console panes, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import work

from crmtui.ui.screens.main_records import MainRecords
from crmtui.ui.text import plain
from crmtui.ui.widgets.entity_list import EntityList
from crmtui.ui.widgets.record_list import ColumnsChanged

if TYPE_CHECKING:
    from crmtui.ui.screens.main import MainScreen


class MainPanes(MainRecords):
    """Show, hide and arrange what the main screen shows; export what the list shows."""

    def on_columns_changed(self, event: ColumnsChanged) -> None:
        """Keep the order and the hidden columns per profile and entity, as the chooser does."""
        if self.entity is not None:
            self.prefs.set_columns(self.session.profile.name, self.entity.name, event.names)

    def action_columns(self) -> None:
        """Choose the columns; the choice is kept per profile and entity."""
        if self.entity is None:
            return
        entity = self.entity

        def chosen(names: list[str] | None) -> None:
            if names:
                self.records.set_columns(names)
                self.prefs.set_columns(self.session.profile.name, entity.name, names)

        current = [c.name for c in self.records.columns]
        from crmtui.ui.screens.columns import ColumnsScreen  # its module loads when first used

        self.app.push_screen(ColumnsScreen(self.fields, current), chosen)

    def action_toggle_entities(self) -> None:
        """Show or hide the entity pane."""
        pane = self.query_one(EntityList)
        pane.display = not pane.display

    async def action_toggle_console(self) -> None:
        """Show or hide the raw-call console under the browser (built on first use)."""
        from crmtui.ui.widgets.console import ConsolePane

        found = self.query(ConsolePane)
        if not found:
            pane = ConsolePane(self.session, id="console")
            await self.mount(pane, after="#body")
            pane.focus_editor()
            return
        pane = found.first()
        pane.display = not pane.display
        if pane.display:
            pane.focus_editor()
        else:
            self.remove_class("-console-max")
            self.records.focus()

    def action_toggle_detail(self) -> None:
        """Show or hide the detail pane (when narrow, it stacks under the list)."""
        if self.has_class("-narrow"):
            self.toggle_class("-show-detail")
        else:
            self.toggle_class("-hide-detail")

    @work(group="export", exclusive=True, exit_on_error=False, description="export view")
    async def export(
        self, fmt: str, directory: Path | None = None, path: Path | None = None
    ) -> Path | None:
        """Write what the list shows (its filter's matches, its sort, the shown columns) to
        `path`, or to a file named after the profile and entity in `directory`."""
        from crmtui.ui.views import export_shown

        if self.entity is None:
            return None
        if path is None:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            name = f"{self.session.profile.name}-{self.entity.name}-{stamp}.{fmt}"
            path = (directory or Path.cwd()) / "".join(
                c if c.isalnum() or c in "-_." else "_" for c in name
            )
        self.status.set_work(f"exporting {plain(self.entity.label)}…")
        count = await export_shown(cast("MainScreen", self), fmt, path)
        self.notify(f"Exported {count:,} records to {path}", title="Export", timeout=8)
        return path

    def show_views(self) -> None:
        """List the profile's saved views under the entities."""
        from crmtui.ui.views import saved_views

        self.query_one(EntityList).set_views(saved_views(cast("MainScreen", self)))
