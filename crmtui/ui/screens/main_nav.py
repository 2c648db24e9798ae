"""The main screen's navigation: jump to an id, follow a reference, back and forward."""

from __future__ import annotations

from textual import work

from crmtui.model import Record
from crmtui.services.history_nav import Link, Place, target_label, unique_links
from crmtui.ui.screens.main_base import MainBase
from crmtui.ui.text import plain
from crmtui.ui.widgets.detail import DetailPane


class MainNavigation(MainBase):
    """g jumps to an id; f follows a reference; [ and ] go back and forward."""

    # -- jump to an id ---------------------------------------------------------------------------
    def action_jump(self) -> None:
        """Ask for an id and go to that record."""
        if self.entity is not None:
            from crmtui.ui.screens.jump import JumpScreen  # its module loads when first used

            self.app.push_screen(JumpScreen(plain(self.entity.label)), self._jump_to)

    def _jump_to(self, record_id: str | None) -> None:
        if record_id and not self.go_to(record_id):
            self.fetch_record(record_id)

    def go_to(self, record_id: str) -> bool:
        """Put the list cursor on a loaded record and show it at once; False when not loaded."""
        if not self.records.move_to_id(record_id):
            return False
        self.show_detail(self.records.current)
        return True

    @work(group="jump", exclusive=True, exit_on_error=False, description="get record")
    async def fetch_record(self, record_id: str) -> None:
        """Fetch a record that is not among the loaded rows and show it in the detail pane."""
        assert self.entity is not None
        record = await self.session.backend.get(self.entity.name, record_id)
        self.show_apart(record, "It is not among the loaded rows")

    def show_apart(self, record: Record, why: str) -> None:
        """Show a record the list cursor cannot reach; opens the detail pane where it is folded."""
        self.finder.landing = False  # a find by id lands here
        self.show_detail(record, apart=True)
        if self.has_class("-empty"):  # a list the vendor cannot read: what was sent for it
            self._say_why_empty(False, about=record.id)
        if self.has_class("-narrow"):
            self.add_class("-show-detail")
        else:
            self.remove_class("-hide-detail")
        self.notify(f"{why}: shown in the detail pane; e edits it, d deletes it.", timeout=5)

    # -- follow a reference, back and forward ----------------------------------------------------
    def _here(self) -> Place | None:
        record = self.shown
        return None if record is None else Place(record.entity, record.id, self.records.cursor)

    def action_follow(self) -> None:
        """Follow the reference the shown record holds (a lead's account) into the detail; with
        several (an opportunity's lead and account), a numbered chooser asks which."""
        from crmtui.ui.screens.pick import PickScreen

        if self.hold(self.action_follow):
            return
        here, record = self._here(), self.shown
        fields = self.shown_spec[1] if self.shown_spec else self.fields
        found = unique_links(record, fields) if record is not None else []
        if here is None or not found:
            self.notify("This record holds no reference to follow.", timeout=4)
            return
        if len(found) == 1:
            self.follow_link(here, found[0])
            return
        options = [
            f"{target_label(link.spec, self.entities, link.entity)}  {link.record_id}"
            for link in found
        ]

        def chosen(index: int | None) -> None:
            if index is not None:
                self.follow_link(here, found[index])

        self.app.push_screen(PickScreen("Follow which reference?", options), chosen)

    @work(group="navigate", exclusive=True, exit_on_error=False, description="follow reference")
    async def follow_link(self, here: Place, link: Link) -> None:
        """Show the record `link` points at; `here` goes into the history."""
        await self._show_place(Place(link.entity, link.record_id))
        self.history.visit(here)
        if self.has_class("-narrow"):  # folded away when narrow: unfold it to show where f led
            self.add_class("-show-detail")

    @work(group="navigate", exclusive=True, exit_on_error=False, description="history")
    async def action_back(self, forward: bool = False) -> None:
        """Back (or forward) to the record shown before, the list cursor where it was."""
        here = self._here()
        place = (
            None if here is None else (self.history.forward if forward else self.history.back)(here)
        )
        if place is None:
            self.notify(f"Nothing {'ahead' if forward else 'behind'}.", timeout=3)
            return
        await self._show_place(place)

    def action_forward(self) -> None:
        """Forward to the record left by going back."""
        self.action_back(forward=True)

    async def _show_place(self, place: Place) -> None:
        listed = self.entity is not None and place.entity == self.entity.name
        if listed and place.row is not None and place.row < self.records.row_count:
            self.records.cursor = place.row
            current = self.records.current
            if current is not None and current.id == place.record_id:
                self.show_detail(current)
                return
        backend = self.session.backend
        entity, fields = await backend.entity(place.entity), await backend.fields(place.entity)
        record = await backend.get(place.entity, place.record_id)
        self.show_detail(record, apart=True)
        self.shown_spec = (entity, fields)
        self.query_one(DetailPane).show(record, fields, entity)
