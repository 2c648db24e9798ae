"""The main screen's record commands: edit, new, delete, triage, actions, revert, bulk edit."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual import work

from crmtui.model import Record
from crmtui.services.write_policy import WritePath
from crmtui.ui.screens.main_nav import MainNavigation
from crmtui.ui.text import plain

if TYPE_CHECKING:
    from crmtui.ui.screens.main import MainScreen


class MainRecords(MainNavigation):
    """Every command here acts on `target`: the record in the detail pane."""

    def _main(self) -> MainScreen:
        """This screen, as the helpers that drive a main screen take it."""
        return cast("MainScreen", self)

    def action_edit(self) -> None:
        """Edit the record shown in the detail pane."""
        if self.hold(self.action_edit):
            return
        from crmtui.ui.screens.edit import EditScreen  # the form's modules load on first use

        record = self.target
        if record is not None and self.entity is not None:
            if self.finder.from_mirror():
                self.edit_live(record.id)  # the copy may be old: edit the vendor's record
                return
            screen = EditScreen(self.session, self.entity, self.fields, record)
            self.app.push_screen(screen, partial(self._saved, record))

    @work(group="jump", exclusive=True, exit_on_error=False, description="get record")
    async def edit_live(self, record_id: str) -> None:
        """Fetch the vendor's current record, then open it in the edit form."""
        from crmtui.ui.screens.edit import EditScreen

        assert self.entity is not None
        record = await self.session.backend.get(self.entity.name, record_id)
        self.records.replace_record(record)
        self.show_detail(record, apart=self.apart)
        self.app.push_screen(
            EditScreen(self.session, self.entity, self.fields, record), partial(self._saved, record)
        )

    def action_new(self) -> None:
        """n: the next match while a filter is in force; else create a record with the same
        form (or the vendor's own, such as an upsert)."""
        from crmtui.ui.screens.edit import EditScreen
        from crmtui.ui.vendor_views import new_record_screen

        if self.finder.landing and self.hold(self.action_new):
            return
        if self.finder.step(1):
            return
        own = new_record_screen(self._main())
        if own is not None:
            self.app.push_screen(own)
            return
        if self.entity is not None:
            screen = EditScreen(self.session, self.entity, self.fields, None)
            self.app.push_screen(screen, self._created)

    def _saved(self, edited: Record, record: Record | None) -> None:
        """After a save the row and the detail show the new values, without reloading.

        A save refused (changed elsewhere: the edit waits in the outbox) re-reads the record,
        so the row shows what the vendor now holds rather than what was loaded before.
        """
        if record is not None:
            self.records.replace_record(record)
            self.show_detail(record, apart=self.apart)
            return
        from crmtui.services import edits

        pending = edits.journal_for(self.session).pending()
        if any(e.entity == edited.entity and e.record_id == edited.id for e in pending):
            self.refresh_record(edited)

    @work(group="refresh-row", exit_on_error=False, description="re-read a record")
    async def refresh_record(self, record: Record) -> None:
        """Fetch `record` again; its row (and the detail, if it shows it) take the new values."""
        fresh = await self.session.backend.get(record.entity, record.id)
        self.records.replace_record(fresh)
        if self.shown is not None and self.shown.id == fresh.id:
            self.show_detail(fresh, apart=self.apart)

    def _created(self, record: Record | None) -> None:
        if record is None:
            return
        title = plain(record.title(self.entity))
        if self.go_to(record.id):
            self.notify(f"Created {title}.", timeout=4)
        else:
            self.show_apart(record, f"Created {title}; r reloads the list")

    def action_delete(self) -> None:
        """Delete the record in the detail pane after the user types its id or name."""
        if self.hold(self.action_delete):
            return
        from crmtui.ui.confirm import confirm_write
        from crmtui.ui.screens.dialogs import DeleteScreen

        record = self.target
        if record is None or self.entity is None:
            return
        label = plain(record.title(self.entity))
        confirm_write(
            self,
            self.session,
            WritePath.DELETE,
            lambda: self.delete_record(record),
            dialog=DeleteScreen(label, plain(record.id)),
            always_ask=True,  # a delete is typed out whatever the mode
        )

    @work(group="writes", exit_on_error=False, description="delete record")
    async def delete_record(self, record: Record) -> None:
        """Delete through services.edits, then drop the row in place."""
        from crmtui.services import edits

        assert self.entity is not None
        await edits.delete_record(self.session, self.entity.name, record.id, loaded=record.values)
        self.records.remove_record(record.id)
        self.notify(f"Deleted {plain(record.title(self.entity))}.", timeout=4)

    # -- triage, record actions, revert, bulk edit, watch ----------------------------------------
    def action_triage(self) -> None:
        """Step through the list one record at a time, one key per change."""
        from crmtui.ui.screens.triage import TriageScreen

        if self.hold(self.action_triage):
            return
        if self.entity is not None and self.records.row_count:
            self.app.push_screen(TriageScreen(self._main()))

    def action_record_actions(self) -> None:
        """The vendor's record actions (convert, close…) on the record in the detail pane."""
        from crmtui.ui.screens.actions import open_actions

        if self.hold(self.action_record_actions):
            return
        open_actions(self._main())

    def action_revert(self, any_record: bool = False) -> None:
        """Undo the last change to the record in the detail pane, through the journal."""
        from crmtui.ui.screens.actions import open_revert

        if self.hold(partial(self.action_revert, any_record)):
            return
        open_revert(self._main(), any_record=any_record)

    def action_bulk_edit(self) -> None:
        """Set fields on every marked record (space marks, u unmarks all)."""
        from crmtui.ui.screens.bulk_edit import open_bulk_edit

        open_bulk_edit(self._main())

    def action_watch(self) -> None:
        """The live Watch view of this entity, where the vendor can watch it."""
        from crmtui.ui.vendor_views import watch_screen

        view = watch_screen(self._main())
        if view is None:
            self.notify("This vendor cannot watch this entity for changes.", severity="warning")
            return
        self.app.push_screen(view)
