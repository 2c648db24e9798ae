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
from crmtui.model import Capability, EntitySpec, FieldSpec, Record
from crmtui.services import edits
from crmtui.services.history_nav import History, Place, references
from crmtui.services.mirror_source import MirrorSource
from crmtui.services.session import Session
from crmtui.services.write_policy import WritePath, refuses_writes
from crmtui.ui.confirm import confirm_write
from crmtui.ui.find import Finder
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
from crmtui.ui.widgets.empty_state import EmptyState, list_empty
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
        # priority: `/` is taken before the keys typed after it, so a burst lands in the bar
        Binding("slash", "search", "Search", id="main.search", priority=True),
        Binding("g", "jump", "Go to id", id="main.jump"),
        Binding("e,enter", "edit", "Edit", id="main.edit"),
        Binding("n", "new", "New", id="main.new"),
        Binding("N", "find_previous", "Previous match", show=False, id="main.find_previous"),
        Binding("d", "delete", "Delete", id="main.delete"),
        Binding("c", "columns", "Columns", id="main.columns"),
        Binding("r", "reload", "Reload", show=False, id="main.reload"),
        Binding("b", "toggle_entities", "Entities", show=False, id="main.toggle_entities"),
        Binding("i", "toggle_detail", "Detail", show=False, id="main.toggle_detail"),
        Binding(
            "grave_accent,ctrl+t",
            "toggle_console",
            "Console",
            show=False,
            priority=True,  # closes the console even while one of its fields has the focus
            id="app.console",
        ),
        Binding("w", "watch", "Watch", show=False, id="main.watch"),
        Binding("B", "bulk_edit", "Bulk edit", show=False, id="main.bulk_edit"),
        Binding("f", "follow", "Follow", show=False, id="main.follow"),
        Binding("left_square_bracket,alt+left", "back", "Back", show=False, id="main.back"),
        Binding("right_square_bracket,alt+right", "forward", "Fwd", show=False, id="main.fwd"),
        # Letter keys live on this screen, not on the app: typed into a form they are text.
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("o", "outbox", "Outbox", show=False, id="app.outbox"),
        # triage, record actions and revert (crmtui/ui/screens/triage.py, actions.py)
        Binding("t", "triage", "Triage", id="main.triage"),
        Binding("a", "record_actions", "Actions", show=False, id="main.actions"),
        Binding("z", "revert", "Revert", show=False, id="main.revert"),
    ]
    CONSOLE_ACTIONS = frozenset({"toggle_console", "help"})
    """What the screen's own keys may still do while the focus is in the console."""

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
        self.finder = Finder(self)
        self.history = History()  # back/forward through followed references (this session's)
        self.shown_spec: tuple[EntitySpec, list[FieldSpec]] | None = None  # a followed record's

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the console has the focus, its letters are its own (n: next match, not New);
        `/` is a search only where it is not typed into a text field."""
        if action == "search":
            from textual.widgets import Input, TextArea

            if isinstance(self.focused, Input | TextArea):
                return False
        return action in self.CONSOLE_ACTIONS or not self._console_has_focus()

    def _console_has_focus(self) -> bool:
        from crmtui.ui.widgets.console import ConsolePane

        focused = self.focused
        return focused is not None and any(
            isinstance(node, ConsolePane) for node in focused.ancestors_with_self
        )

    def compose(self) -> ComposeResult:
        """Header, the three panes, status bar, footer."""
        yield Static(header_text(self.session), id="header")
        with Horizontal(id="body"):
            yield EntityList(id="entities")
            with Container(id="work"):
                with Vertical(id="centre"):
                    yield SearchBar(id="search")
                    yield RecordList(id="records")
                    yield EmptyState(id="empty")
                yield DetailPane(id="detail")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def records(self) -> RecordList:
        """The record list."""
        return self.query_one(RecordList)

    @property
    def search_bar(self) -> SearchBar:
        """The search bar."""
        return self.query_one(SearchBar)

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
        self.finder.start_sync()

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
        self.show_views()
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
        self.finder.clear()
        self.query_one(EntityList).mark(name)
        source = self.finder.source(name)
        if isinstance(source, MirrorSource):
            entity = source.served(entity)
        self.records.load(source, entity, fields, columns)
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
        """Open the chosen entity (or saved view)."""
        from crmtui.ui.views import VIEW_PREFIX, open_view, saved_views

        if event.name.startswith(VIEW_PREFIX):
            name = event.name.removeprefix(VIEW_PREFIX)
            for view in saved_views(self):
                if view.name == name:
                    open_view(self, view)
            self.records.focus()
            return
        self.open_entity(event.name)
        self.records.focus()

    def on_record_highlighted(self, event: RecordHighlighted) -> None:
        """The detail pane follows the cursor (a page arriving elsewhere leaves it alone).

        A single step shows at once; while a key is held the rebuild (~25 ms) waits until the
        cursor rests, so held keys move the cursor at the terminal's repeat rate.
        """
        record = event.record
        self.finder.refresh_status()
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

    def defer_detail(self) -> None:
        """The next cursor move updates the detail pane after the list has been painted."""
        self._last_highlight = time.monotonic()

    def show_detail(self, record: Record | None) -> None:
        """Show `record` in the detail pane."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        self.shown, self.shown_spec = record, None
        self.query_one(DetailPane).show(record, self.fields, self.entity)

    # -- navigation: follow a reference, back and forward (services.history_nav) ----------------
    def _here(self) -> Place | None:
        record = self.shown
        return None if record is None else Place(record.entity, record.id, self.records.cursor)

    @work(group="navigate", exclusive=True, exit_on_error=False, description="follow reference")
    async def action_follow(self) -> None:
        """Open the first reference the shown record holds (a lead's account) in the detail."""
        here, record = self._here(), self.shown
        fields = self.shown_spec[1] if self.shown_spec else self.fields
        found = references(record, fields) if record is not None else []
        if here is None or not found:
            self.notify("This record holds no reference to follow.", timeout=4)
            return
        spec, target_id = found[0]
        await self._show_place(Place(spec.reference or "", target_id))
        self.history.visit(here)

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
        self.show_detail(record)
        self.shown_spec = (entity, fields)
        self.query_one(DetailPane).show(record, fields, entity)

    def on_list_status(self, event: ListStatus) -> None:
        """The count label and pages on their way go to the status bar; no rows: say why."""
        self.status.set_list(self.finder.label(), event.loading)
        self._say_why_empty(bool(event.loading))

    def _say_why_empty(self, loading: bool, about: str = "") -> None:
        records, entity = self.records, self.entity
        known = records.end is not None or records.total is not None or records.view is not None
        empty = entity is not None and known and not loading and records.row_count == 0
        self.set_class(empty, "-empty")
        if not empty or entity is None:
            self.query_one(EmptyState).say(None)
            return
        filters = records.list_query.filters
        sent = self.session.sent.entries() if self.session.sent is not None else None
        text = list_empty(
            entity,
            search=filters[0].value if filters else records.filter_text,
            filtered=records.view is not None,
            can_create=entity.can(Capability.CREATE),
            sent=sent,
            about=about,
        )
        self.query_one(EmptyState).say(text)

    def on_list_error(self, event: ListError) -> None:
        """A page failed."""
        self.show_error(event.error)

    def on_search_submitted(self, event: SearchSubmitted) -> None:
        """Find: the cursor lands on the first match (empty text clears the filter)."""
        self.finder.submit(event.text)

    # -- actions ---------------------------------------------------------------------------------
    def action_search(self) -> None:
        """Open the search bar, saying what the filter language is and where it runs."""
        entity = self.entity
        if entity is None:
            return
        where = "local copy" if self.finder.from_mirror() else "server, then each page"
        hint = f"field=value field~text field>n, an email, an id or names ({where})"
        self.search_bar.open(plain(hint))

    def action_find_previous(self) -> None:
        """N: the previous match."""
        self.finder.step(-1)

    def action_jump(self) -> None:
        """Ask for an id and go to that record."""
        if self.entity is not None:
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
        self.show_detail(record)
        if self.has_class("-empty"):  # a list the vendor cannot read: what was sent for it
            self._say_why_empty(False, about=record.id)
        if self.has_class("-narrow"):
            self.add_class("-show-detail")
        else:
            self.remove_class("-hide-detail")
        self.notify(f"{why}: shown in the detail pane; e edits it, d deletes it.", timeout=5)

    @property
    def target(self) -> Record | None:
        """The record commands act on: the one in the detail pane (the cursor's while it moves)."""
        if self._detail_timer is not None or self.shown is None:
            return self.records.current
        return self.shown

    def action_edit(self) -> None:
        """Edit the record shown in the detail pane."""
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
        assert self.entity is not None
        record = await self.session.backend.get(self.entity.name, record_id)
        self.records.replace_record(record)
        self.show_detail(record)
        self.app.push_screen(
            EditScreen(self.session, self.entity, self.fields, record), partial(self._saved, record)
        )

    def action_new(self) -> None:
        """n: the next match while a filter is in force; else create a record with the same
        form (or the vendor's own, such as an upsert)."""
        from crmtui.ui.vendor_views import new_record_screen

        if self.finder.step(1):
            return
        own = new_record_screen(self)
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
            self.show_detail(record)
            return
        pending = edits.journal_for(self.session).pending()
        if any(e.entity == edited.entity and e.record_id == edited.id for e in pending):
            self.refresh_record(edited)

    @work(group="refresh-row", exit_on_error=False, description="re-read a record")
    async def refresh_record(self, record: Record) -> None:
        """Fetch `record` again; its row (and the detail, if it shows it) take the new values."""
        fresh = await self.session.backend.get(record.entity, record.id)
        self.records.replace_record(fresh)
        if self.shown is not None and self.shown.id == fresh.id:
            self.show_detail(fresh)

    def _created(self, record: Record | None) -> None:
        if record is None:
            return
        title = plain(record.title(self.entity))
        if self.go_to(record.id):
            self.notify(f"Created {title}.", timeout=4)
        else:
            self.show_apart(record, f"Created {title}; r reloads the list")

    def action_watch(self) -> None:
        """The live Watch view of this entity, where the vendor can watch it."""
        from crmtui.ui.vendor_views import watch_screen

        view = watch_screen(self)
        if view is None:
            self.notify("This vendor cannot watch this entity for changes.", severity="warning")
            return
        self.app.push_screen(view)

    def action_delete(self) -> None:
        """Delete the record in the detail pane after the user types its id or name."""
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

    async def action_quit(self) -> None:
        """Quit (asking first when something would be lost)."""
        await self.app.run_action("quit")

    async def action_help(self) -> None:
        """The keys of this screen."""
        await self.app.run_action("help")

    async def action_outbox(self) -> None:
        """The writes of this profile not applied yet."""
        await self.app.run_action("outbox")

    def action_reload(self) -> None:
        """Fetch the list again from the first row."""
        self.status.set_error(None)
        self.records.reload()

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
        count = await export_shown(self, fmt, path)
        self.notify(f"Exported {count:,} records to {path}", title="Export", timeout=8)
        return path

    def show_views(self) -> None:
        """List the profile's saved views under the entities."""
        from crmtui.ui.views import saved_views

        self.query_one(EntityList).set_views(saved_views(self))
