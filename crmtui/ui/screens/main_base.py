"""The main screen's state and the detail pane that follows the list cursor."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from crmtui.errors import describe
from crmtui.model import Capability, EntitySpec, FieldSpec, Record
from crmtui.services.history_nav import History
from crmtui.services.session import Session
from crmtui.services.write_policy import refuses_writes
from crmtui.ui.find import FIND_GROUP, Finder
from crmtui.ui.messages import RecordHighlighted
from crmtui.ui.prefs import Prefs
from crmtui.ui.text import plain
from crmtui.ui.widgets.detail import DetailPane
from crmtui.ui.widgets.empty_state import EmptyState, list_empty
from crmtui.ui.widgets.record_list import RecordList
from crmtui.ui.widgets.search_bar import SearchBar
from crmtui.ui.widgets.status_bar import StatusBar

NARROW = 100  # below this width the detail pane folds away (and stacks when shown)
DETAIL_REST = 0.08  # seconds between cursor steps under which the detail waits for the cursor
HOLD_LIMIT = 10.0  # seconds a record command waits for a find to land before it is dropped


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


class MainBase(Screen[None]):
    """What every part of the main screen shares: the session, the entity, the shown record."""

    finder: Finder  # set by MainScreen, which the finder drives
    # Moving the focus restyles the widgets it leaves and enters (Textual does that itself);
    # Screen's own `focused` would also repaint the whole screen, so every Enter in the search
    # bar and every Tab between panes would send a full frame over SSH.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, session: Session, prefs: Prefs, entity: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.prefs = prefs
        self.wanted_entity = entity
        self.entities: list[EntitySpec] = []
        self.entity: EntitySpec | None = None
        self.fields: list[FieldSpec] = []
        self.shown: Record | None = None
        self.apart = False  # the shown record was put there by f, a jump or a find elsewhere
        self._detail_timer: Timer | None = None
        self._detail_pending: Record | None = None  # what the timer will show
        self._last_highlight = 0.0
        self.history = History()  # back/forward through followed references (this session's)
        self.shown_spec: tuple[EntitySpec, list[FieldSpec]] | None = None  # a followed record's
        self._held: Callable[[], object] | None = None  # a record command waiting for a find
        self._held_timer: Timer | None = None
        self._releasing = False
        self._no_match = False  # the last find landed on nothing

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

    def show_error(self, error: BaseException) -> None:
        """Show an error in the status bar and as a notification."""
        info = describe(error)
        self.status.set_error(error)
        self.notify(plain(info.message), title=plain(info.title), severity="error", timeout=8)

    # -- the detail pane follows the cursor ------------------------------------------------------
    def on_record_highlighted(self, event: RecordHighlighted) -> None:
        """The detail pane follows the cursor (a page arriving elsewhere leaves it alone).

        A single step shows at once; while a key is held the rebuild (~25 ms) waits until the
        cursor rests, so held keys move the cursor at the terminal's repeat rate.
        """
        record = event.record
        self.finder.refresh_status()
        if self.apart and not event.moved:
            return  # rows arriving (a reload) leave a record shown apart in place
        held = self._held is not None and not self.finder.landing
        if held and record is not None and record is self.records.current:
            self.show_detail(record)  # a command waits for this row: no debounce
            return
        if record is self.shown and record is not None:
            self._stop_detail_timer()  # back on the shown record: nothing else is to be shown
            return
        if self._detail_timer is not None and record is self._detail_pending:
            return  # the same record again (pages arriving while a find scans): keep the wait
        now = time.monotonic()
        rested = now - self._last_highlight >= DETAIL_REST
        self._last_highlight = now
        if rested and self._detail_timer is None:
            self.show_detail(record)
            return
        self._stop_detail_timer()
        self._detail_pending = record
        self._detail_timer = self.set_timer(DETAIL_REST, partial(self._show_pending, record))

    def _show_pending(self, record: Record | None) -> None:
        """The cursor rested on `record`: show it, unless the wait was called off meanwhile (a
        timer stopped once its time has come may still call back, late, on a busy machine)."""
        if self._detail_timer is not None and record is self._detail_pending:
            self.show_detail(record)

    def _stop_detail_timer(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        self._detail_pending = None

    def defer_detail(self, *, rest: bool = True) -> None:
        """The next cursor move updates the detail pane after the list has been painted
        (`rest=False`: at once, as after a pause)."""
        self._last_highlight = time.monotonic() if rest else -DETAIL_REST

    def show_detail(self, record: Record | None, *, apart: bool = False) -> None:
        """Show `record` in the detail pane (a command held for a find then acts on it);
        `apart`: not the list's current row (rows arriving later leave it in place)."""
        self._stop_detail_timer()
        self.shown, self.shown_spec, self.apart = record, None, apart
        self.query_one(DetailPane).show(record, self.fields, self.entity)
        if self._held is not None and record is not None and not self.finder.landing:
            self._release()

    # -- record commands wait for a find on its way ----------------------------------------------
    def hold(self, command: Callable[[], object]) -> bool:
        """True when `command` must wait: a find has not landed yet, or the list's first rows
        are on their way. Keys that arrive in one burst (`/` email, Enter, `e`) then act on the
        record the find lands on, exactly as when typed slowly."""
        if self._releasing or self.entity is None:
            return False
        records = self.records
        loading = (  # nothing in the detail pane yet, the list's rows not known yet
            records.current is None
            and (self.shown is None or self._detail_timer is not None)
            and records.view is None
            and records.end is None
            and records.total is None
            and not records.failed_pages
        )
        if not (loading or (self.finder.landing and self._finding())):
            return False
        self._held = command
        if self._held_timer is not None:
            self._held_timer.stop()
        self._held_timer = self.set_timer(HOLD_LIMIT, self._held_too_long)
        return True

    def _finding(self) -> bool:
        """A find (or the record it asked for by id) is still on its way."""
        return any(w.group in (FIND_GROUP, "jump") and not w.is_finished for w in self.workers)

    def find_landed(self, found: bool) -> None:
        """The finder put the cursor on its first match (or found none): a held command acts
        on the match as soon as its row is there; with no match it is dropped."""
        was, self._no_match = self._no_match, not found
        if was or not found:  # the list says so in place of its rows (once the bar's text is set)
            self.call_after_refresh(self._say_why_empty, False)
        if self._held is None:
            return
        if not found:
            self.drop_held()
            return
        current = self.records.current
        if current is not None:
            self.show_detail(current)  # at once, not after the cursor's rest: it runs the command

    def find_cleared(self) -> None:
        """The find was cleared: no command waits for it, the rows show again."""
        self.drop_held()
        if self._no_match:
            self._no_match = False
            self._say_why_empty(False)

    def _held_too_long(self) -> None:
        if self._held is not None:
            why = "the search has not landed" if self.finder.landing else "no row has arrived"
            self.notify(f"Nothing to act on yet ({why}): the key was dropped.", timeout=4)
        self.drop_held()

    def drop_held(self) -> None:
        """Forget a held command (its find found nothing, was cleared or never landed)."""
        self._held = None
        if self._held_timer is not None:
            self._held_timer.stop()
            self._held_timer = None

    def _release(self) -> None:
        command = self._held
        self.drop_held()
        if command is None:
            return
        self._releasing = True
        try:
            command()
        finally:
            self._releasing = False

    @property
    def target(self) -> Record | None:
        """The record commands act on: the one in the detail pane (the cursor's while it moves)."""
        if self._detail_timer is not None or self.shown is None:
            return self.records.current
        return self.shown

    # -- no rows: say why ------------------------------------------------------------------------
    def _say_why_empty(self, loading: bool, about: str = "") -> None:
        records, entity = self.records, self.entity
        known = records.end is not None or records.total is not None or records.view is not None
        no_match = self._no_match and self.finder.active and not self.finder.landing
        empty = entity is not None and known and not loading and records.row_count == 0
        self.set_class(empty and not no_match, "-empty")
        self.set_class(no_match, "-no-match")
        empty = empty or no_match
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
