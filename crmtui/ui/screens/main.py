"""The main screen: entities on the left, the record list in the centre, the detail on the right.

Its parts live beside it: main_base (state, the detail that follows the cursor), main_nav (jump,
follow, back and forward), main_records (edit, new, delete and the other record commands) and
main_panes (columns, pane toggles, the console, export).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from crmtui.services import opening
from crmtui.services.session import Session
from crmtui.services.write_policy import refuses_writes
from crmtui.ui.find import Finder
from crmtui.ui.find_local import is_mirror_source
from crmtui.ui.messages import EntityChosen, ListError, ListStatus, SearchSubmitted
from crmtui.ui.prefs import Prefs
from crmtui.ui.screens.first_paint import FirstPaint
from crmtui.ui.screens.main_base import DETAIL_REST, NARROW, header_text
from crmtui.ui.screens.main_panes import MainPanes
from crmtui.ui.text import plain
from crmtui.ui.widgets.detail import DetailPane
from crmtui.ui.widgets.empty_state import EmptyState
from crmtui.ui.widgets.entity_list import EntityList
from crmtui.ui.widgets.key_footer import KeyFooter
from crmtui.ui.widgets.record_list import RecordList, default_columns
from crmtui.ui.widgets.related import RelatedPanel
from crmtui.ui.widgets.search_bar import SearchBar
from crmtui.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from crmtui.model import Record

__all__ = ["DETAIL_REST", "NARROW", "MainScreen", "header_text"]


class MainScreen(MainPanes, FirstPaint):
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
        super().__init__(session, prefs, entity)
        self.finder = Finder(self)
        self._paint_on_detail = False

    def show_detail(self, record: Record | None, *, apart: bool = False) -> None:
        super().show_detail(record, apart=apart)
        if record is not None and self._paint_on_detail:
            self._paint_on_detail = False
            self.paint_when_settled()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the console has the focus, its letters are its own (n: next match, not New);
        `/` is a search only where it is not typed into a text field."""
        if action == "search":
            from textual.widgets import Input

            # No TextArea can have the focus before its module is loaded (it is not cheap).
            area = sys.modules.get("textual.widgets._text_area")
            typed = (Input,) if area is None else (Input, area.TextArea)
            if isinstance(self.focused, typed):
                return False
        return action in self.CONSOLE_ACTIONS or not self._console_has_focus()

    def _console_has_focus(self) -> bool:
        console = sys.modules.get("crmtui.ui.widgets.console")  # loaded when first opened
        focused = self.focused
        return (
            console is not None
            and focused is not None
            and any(isinstance(node, console.ConsolePane) for node in focused.ancestors_with_self)
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
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show the session's figures and load its entities."""
        self.set_class(refuses_writes(self.session.profile), "-no-writes")
        self.set_class(self.session.profile.production, "-production")
        self.status.attach(self.session)
        self.query_one(RelatedPanel).backend = self.session.backend
        self.set_focus(self.records)  # now, not later: the first frame shows the list's keys
        self.load_entities()
        self.finder.start_sync()

    def on_unmount(self) -> None:
        """Closed before its first rows came (a quit, another profile): nothing is held."""
        self.drop_hold()

    def on_resize(self) -> None:
        """At narrow widths the detail pane folds away."""
        self.set_class(self.size.width < NARROW, "-narrow")

    # -- loading ---------------------------------------------------------------------------------
    @work(group="meta", exclusive=True, exit_on_error=False, description="load entities")
    async def load_entities(self) -> None:
        """Fetch the entity list, then open the wanted (or the lead, or the first) entity."""
        self.status.set_work("loading entities…")
        self.entities = await self.session.backend.entities()
        first = opening.first_entity([e.name for e in self.entities], self.wanted_entity)
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
        fields = await opening.fields(backend, name)  # fetched while the screen was built
        self.entity, self.fields = entity, fields
        profile = self.session.profile.name
        columns = self.prefs.columns(profile, name) or default_columns(fields, entity)
        self.finder.clear()
        self.query_one(EntityList).mark(name)
        source = self.finder.source(name)
        if is_mirror_source(source):
            entity = source.served(entity)  # type: ignore[attr-defined]
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

    def on_list_status(self, event: ListStatus) -> None:
        """The count label and pages on their way go to the status bar; no rows: say why."""
        self.status.set_list(self.finder.label(), event.loading)
        self._say_why_empty(bool(event.loading))
        records = self.records
        if not self.painting_held:
            return
        if records.row_count and self.shown is None:
            # the first rows are in: paint once the first row's detail, which comes next, is too
            self._paint_on_detail = True
            if records.current is not None:
                self.show_detail(records.current)  # at once: no wait for the cursor to rest
            else:
                self.defer_detail(rest=False)
        elif records.row_count or records.end is not None or records.total == 0:
            # laid out, with the scroll bar and the count they bring (or the list is empty)
            self.paint_when_settled()

    def on_list_error(self, event: ListError) -> None:
        """A page failed."""
        self.release_frames()
        self.show_error(event.error)

    def on_search_submitted(self, event: SearchSubmitted) -> None:
        """Find: the cursor lands on the first match (empty text clears the filter).

        The list takes the focus at once (the bar keeps showing the text), so keys typed right
        after Enter are list keys, as when typed slowly; they wait for the find to land.
        """
        self.finder.submit(event.text)
        if self.finder.landing:
            self.records.focus()

    # -- search ----------------------------------------------------------------------------------
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
        if self.finder.landing and self.hold(self.action_find_previous):
            return
        self.finder.step(-1)

    # -- app-wide commands, bound here so that letters typed into a form stay text --------------
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
