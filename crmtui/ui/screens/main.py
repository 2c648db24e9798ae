"""The main screen: entities on the left, the record list in the centre, the detail on the right."""

from __future__ import annotations

import datetime as dt
import time
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from crmtui.errors import describe
from crmtui.model import EntitySpec, FieldSpec, Filter, Query, Record
from crmtui.services import edits
from crmtui.services.export import export_view
from crmtui.services.session import Session
from crmtui.services.write_policy import WritePath, refuses_writes
from crmtui.ui.confirm import confirm_write
from crmtui.ui.messages import (
    EntityChosen,
    ListError,
    ListStatus,
    RecordHighlighted,
    SearchSubmitted,
)
from crmtui.ui.prefs import Prefs
from crmtui.ui.screens.columns import ColumnsScreen
from crmtui.ui.screens.dialogs import DeleteScreen
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.screens.jump import JumpScreen
from crmtui.ui.text import plain
from crmtui.ui.widgets.detail import DetailPane
from crmtui.ui.widgets.entity_list import EntityList
from crmtui.ui.widgets.record_list import ColumnsChanged, RecordList, default_columns
from crmtui.ui.widgets.related import RelatedPanel
from crmtui.ui.widgets.search_bar import SearchBar
from crmtui.ui.widgets.status_bar import StatusBar

NARROW = 100  # below this width the detail pane folds away (and stacks when shown)
DETAIL_REST = 0.08  # seconds between cursor steps under which the detail waits for the cursor


def header_text(session: Session) -> Text:
    """Profile, vendor and mode; a profile that refuses writes and production are marked plainly."""
    profile = session.profile
    text = Text(" crmtui ", style="bold")
    text.append(f" {plain(profile.label or profile.name)} · {plain(profile.vendor)} · ")
    text.append(profile.mode, style="bold")
    if refuses_writes(profile):
        text.append("  READ-ONLY ", style="bold reverse")
    if profile.production:
        text.append("  PRODUCTION ", style="bold white on red")
    return text


class MainScreen(Screen[None]):
    """Browse one session's entities and records."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="main.search"),
        Binding("g", "jump", "Go to id", id="main.jump"),
        Binding("e,enter", "edit", "Edit", id="main.edit"),
        Binding("n", "new", "New", id="main.new"),
        Binding("d", "delete", "Delete", id="main.delete"),
        Binding("c", "columns", "Columns", id="main.columns"),
        Binding("r", "reload", "Reload", show=False, id="main.reload"),
        Binding("b", "toggle_entities", "Entities", show=False, id="main.toggle_entities"),
        Binding("i", "toggle_detail", "Detail", show=False, id="main.toggle_detail"),
        Binding("grave_accent,ctrl+t", "toggle_console", "Console", show=False, id="app.console"),
        Binding("w", "watch", "Watch", show=False, id="main.watch"),
        Binding("B", "bulk_edit", "Bulk edit", show=False, id="main.bulk_edit"),
        # triage, record actions and revert (crmtui/ui/screens/triage.py, actions.py)
        Binding("t", "triage", "Triage", id="main.triage"),
        Binding("a", "record_actions", "Actions", show=False, id="main.actions"),
        Binding("z", "revert", "Revert", show=False, id="main.revert"),
    ]

    def __init__(self, session: Session, prefs: Prefs, entity: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.prefs = prefs
        self.wanted_entity = entity
        self.entities: list[EntitySpec] = []
        self.entity: EntitySpec | None = None
        self.fields: list[FieldSpec] = []
        self.shown: Record | None = None
        self._detail_timer: Timer | None = None
        self._last_highlight = 0.0

    def compose(self) -> ComposeResult:
        """Header, the three panes, status bar, footer."""
        yield Static(header_text(self.session), id="header")
        with Horizontal(id="body"):
            yield EntityList(id="entities")
            with Container(id="work"):
                with Vertical(id="centre"):
                    yield SearchBar(id="search")
                    yield RecordList(id="records")
                yield DetailPane(id="detail")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def records(self) -> RecordList:
        """The record list."""
        return self.query_one(RecordList)

    @property
    def status(self) -> StatusBar:
        """The status bar."""
        return self.query_one(StatusBar)

    def on_mount(self) -> None:
        """Show the session's figures and load its entities."""
        self.set_class(refuses_writes(self.session.profile), "-no-writes")
        self.set_class(self.session.profile.production, "-production")
        self.status.attach(self.session)
        self.query_one(RelatedPanel).backend = self.session.backend
        self.records.focus()
        self.load_entities()

    def on_resize(self) -> None:
        """At narrow widths the detail pane folds away."""
        self.set_class(self.size.width < NARROW, "-narrow")

    # -- loading ---------------------------------------------------------------------------------
    @work(group="meta", exclusive=True, exit_on_error=False, description="load entities")
    async def load_entities(self) -> None:
        """Fetch the entity list, then open the wanted (or the lead, or the first) entity."""
        self.status.set_work("loading entities…")
        self.entities = await self.session.backend.entities()
        names = [e.name for e in self.entities]
        wanted = self.wanted_entity if self.wanted_entity in names else None
        first = wanted or ("lead" if "lead" in names else (names[0] if names else None))
        self.query_one(EntityList).set_entities(self.entities, first)
        if first is not None:
            await self._open(first)

    @work(group="meta", exclusive=True, exit_on_error=False, description="open entity")
    async def open_entity(self, name: str) -> None:
        """Show another entity (its fields are fetched once, then cached by the backend)."""
        await self._open(name)

    async def _open(self, name: str) -> None:
        backend = self.session.backend
        entity = await backend.entity(name)
        fields = await backend.fields(name)
        self.entity, self.fields = entity, fields
        profile = self.session.profile.name
        columns = self.prefs.columns(profile, name) or default_columns(fields, entity)
        self.query_one(SearchBar).remove_class("-open")
        self.query_one(EntityList).mark(name)
        self.records.load(backend, entity, fields, columns)
        self.show_detail(None)
        if entity.note:
            self.notify(plain(entity.note), title=plain(entity.label), timeout=6)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """Every worker failure lands here: the status bar and a notification, no traceback."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.show_error(event.worker.error)
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self.status.set_work("")

    def show_error(self, error: BaseException) -> None:
        """Show an error in the status bar and as a notification."""
        info = describe(error)
        self.status.set_error(error)
        self.notify(plain(info.message), title=plain(info.title), severity="error", timeout=8)

    # -- messages from the widgets ---------------------------------------------------------------
    def on_entity_chosen(self, event: EntityChosen) -> None:
        """Open the chosen entity."""
        self.open_entity(event.name)
        self.records.focus()

    def on_record_highlighted(self, event: RecordHighlighted) -> None:
        """The detail pane follows the cursor (a page arriving elsewhere leaves it alone).

        A single step shows at once; while a key is held the rebuild (~25 ms) waits until the
        cursor rests, so held keys move the cursor at the terminal's repeat rate.
        """
        record = event.record
        if record is self.shown and record is not None:
            return
        now = time.monotonic()
        rested = now - self._last_highlight >= DETAIL_REST
        self._last_highlight = now
        if rested and self._detail_timer is None:
            self.show_detail(record)
            return
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_REST, partial(self.show_detail, record))

    def show_detail(self, record: Record | None) -> None:
        """Show `record` in the detail pane."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        self.shown = record
        self.query_one(DetailPane).show(record, self.fields, self.entity)

    def on_list_status(self, event: ListStatus) -> None:
        """The count label and pages on their way go to the status bar."""
        self.status.set_list(event.label, event.loading)

    def on_list_error(self, event: ListError) -> None:
        """A page failed."""
        self.show_error(event.error)

    def on_search_submitted(self, event: SearchSubmitted) -> None:
        """Search on the server where the entity can, else filter the loaded rows."""
        entity = self.entity
        records = self.records
        if entity is None:
            return
        text = event.text
        if entity.search_fields:
            name, value = entity.search_fields[0], text
            field, sep, rest = text.partition("=")
            if sep and field.strip() in entity.search_fields:
                name, value = field.strip(), rest.strip()
            filters = (Filter(name, value),) if value else ()
            if filters != records.list_query.filters:
                records.reload(Query(filters, records.list_query.sort, records.list_query.fields))
        else:
            records.filter_loaded(text)
        records.focus()

    # -- actions ---------------------------------------------------------------------------------
    def action_search(self) -> None:
        """Open the search bar, saying what kind of search it is."""
        entity = self.entity
        if entity is None:
            return
        if entity.search_fields:
            hint = f"search {entity.label} on the server by {', '.join(entity.search_fields)}"
            if len(entity.search_fields) > 1:
                hint += " (field=value picks one)"
        else:
            hint = f"filter over {len(self.records.rows):,} loaded rows (no server-side search)"
        self.query_one(SearchBar).open(plain(hint))

    def action_jump(self) -> None:
        """Ask for an id and go to that record."""
        if self.entity is not None:
            self.app.push_screen(JumpScreen(plain(self.entity.label)), self._jump_to)

    def _jump_to(self, record_id: str | None) -> None:
        if record_id and not self.records.move_to_id(record_id):
            self.fetch_record(record_id)

    @work(group="jump", exclusive=True, exit_on_error=False, description="get record")
    async def fetch_record(self, record_id: str) -> None:
        """Fetch a record that is not among the loaded rows and show it in the detail pane."""
        assert self.entity is not None
        record = await self.session.backend.get(self.entity.name, record_id)
        self.show_detail(record)
        self.notify("Not among the loaded rows: shown in the detail pane.", timeout=4)

    def action_edit(self) -> None:
        """Edit the record under the cursor."""
        record = self.records.current
        if record is not None and self.entity is not None:
            screen = EditScreen(self.session, self.entity, self.fields, record)
            self.app.push_screen(screen, self._saved)

    def action_new(self) -> None:
        """Create a record with the same form (or the vendor's own, such as an upsert)."""
        from crmtui.ui.vendor_views import new_record_screen

        own = new_record_screen(self)
        if own is not None:
            self.app.push_screen(own)
            return
        if self.entity is not None:
            screen = EditScreen(self.session, self.entity, self.fields, None)
            self.app.push_screen(screen, self._created)

    def _saved(self, record: Record | None) -> None:
        """After a save the row and the detail show the new values, without reloading."""
        if record is not None:
            self.records.replace_record(record)
            self.show_detail(record)

    def _created(self, record: Record | None) -> None:
        if record is not None:
            self.show_detail(record)
            title = plain(record.title(self.entity))
            self.notify(f"Created {title}; press r to reload the list.", timeout=5)

    def action_watch(self) -> None:
        """The live Watch view of this entity, where the vendor can watch it."""
        from crmtui.ui.vendor_views import watch_screen

        view = watch_screen(self)
        if view is None:
            self.notify("This vendor cannot watch this entity for changes.", severity="warning")
            return
        self.app.push_screen(view)

    def action_delete(self) -> None:
        """Delete the record under the cursor after the user types its id or name."""
        record = self.records.current
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
        assert self.entity is not None
        await edits.delete_record(self.session, self.entity.name, record.id, loaded=record.values)
        self.records.remove_record(record.id)
        self.notify(f"Deleted {plain(record.title(self.entity))}.", timeout=4)

    # -- triage, record actions, revert; columns moved or hidden in the list -----------------------
    def on_columns_changed(self, event: ColumnsChanged) -> None:
        """Keep the order and the hidden columns per profile and entity, as the chooser does."""
        if self.entity is not None:
            self.prefs.set_columns(self.session.profile.name, self.entity.name, event.names)

    def action_triage(self) -> None:
        """Step through the list one record at a time, one key per change."""
        from crmtui.ui.screens.triage import TriageScreen

        if self.entity is not None and self.records.row_count:
            self.app.push_screen(TriageScreen(self))

    def action_record_actions(self) -> None:
        """The vendor's record actions (convert, close…) on the record in the detail pane."""
        from crmtui.ui.screens.actions import open_actions

        open_actions(self)

    def action_revert(self, any_record: bool = False) -> None:
        """Undo the last change to the record in the detail pane, through the journal."""
        from crmtui.ui.screens.actions import open_revert

        open_revert(self, any_record=any_record)

    def action_bulk_edit(self) -> None:
        """Set fields on every marked record (space marks, u unmarks all)."""
        from crmtui.ui.screens.bulk_edit import open_bulk_edit

        open_bulk_edit(self)

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
        self.app.push_screen(ColumnsScreen(self.fields, current), chosen)

    def action_reload(self) -> None:
        """Fetch the list again from the first row."""
        self.status.set_error(None)
        self.records.reload()

    def action_toggle_entities(self) -> None:
        """Show or hide the entity pane."""
        pane = self.query_one(EntityList)
        pane.display = not pane.display

    def action_toggle_console(self) -> None:
        """Show or hide the raw-call console under the browser (built on first use)."""
        from crmtui.ui.widgets.console import ConsolePane

        found = self.query(ConsolePane)
        if not found:
            pane = ConsolePane(self.session, id="console")
            self.mount(pane, after="#body")
            self.call_after_refresh(pane.focus_editor)
            return
        pane = found.first()
        pane.display = not pane.display
        if pane.display:
            pane.focus_editor()
        else:
            self.records.focus()

    def action_toggle_detail(self) -> None:
        """Show or hide the detail pane (when narrow, it stacks under the list)."""
        if self.has_class("-narrow"):
            self.toggle_class("-show-detail")
        else:
            self.toggle_class("-hide-detail")

    @work(group="export", exclusive=True, exit_on_error=False, description="export view")
    async def export(self, fmt: str, directory: Path | None = None) -> Path | None:
        """Write the current view (server query, shown columns) to a file in `directory`."""
        if self.entity is None:
            return None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"{self.session.profile.name}-{self.entity.name}-{stamp}.{fmt}"
        path = (directory or Path.cwd()) / "".join(
            c if c.isalnum() or c in "-_." else "_" for c in name
        )
        records = self.records
        query = Query(
            records.list_query.filters,
            records.list_query.sort,
            tuple(c.name for c in records.columns),
        )
        self.status.set_work(f"exporting {plain(self.entity.label)}…")
        with path.open("w", encoding="utf-8", newline="") as out:
            count = await export_view(self.session.backend, self.entity.name, query, fmt, out)
        self.notify(f"Exported {count:,} rows to {path}", title="Export", timeout=8)
        return path
