"""Find everywhere: one text (an email, a name, an id) searched in every profile at once.

Each profile is opened and searched by its own worker (`services.find.find_in`), so each answers
at its own pace: its line says opening, searching, how many it found, or why it failed, and its
rows join the list as soon as it answers. Enter opens a row's record in its own profile (the
app's session becomes that profile's); Esc closes. Sessions opened here and not kept are closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import Worker

from crmtui.errors import CrmError, describe
from crmtui.model import Record
from crmtui.services.find import Answer, Hit, find_in
from crmtui.ui.text import plain, plural
from crmtui.ui.widgets.key_footer import ScreenFooter

if TYPE_CHECKING:
    from crmtui.services.session import Session
    from crmtui.ui.app import CrmApp
    from crmtui.ui.screens.main import MainScreen

ONE_A_LINE = 4  # profiles whose progress gets a line each; more share lines
TIMEOUT = 60.0  # seconds one profile may take to open and answer
LAND_WAIT = 10.0  # seconds to wait for the opened list before showing the record beside it
COLUMNS = (("CRM", 19), ("Entity", 9), ("Record", 18), ("Changed", 19), ("Key fields", None))


class FindEverywhereScreen(Screen[None]):
    """The hits of every profile in one list; a line per profile says how its search went."""

    DEFAULT_CSS = """
    FindEverywhereScreen > Vertical { height: 1fr; }
    FindEverywhereScreen #fe-title { text-style: bold; padding: 0 1; }
    FindEverywhereScreen #fe-progress { height: auto; max-height: 6; padding: 0 1; }
    FindEverywhereScreen #fe-hits { height: 1fr; }
    FindEverywhereScreen #fe-empty { padding: 1 2; color: $text-muted; display: none; }
    FindEverywhereScreen.-empty #fe-empty { display: block; }
    FindEverywhereScreen.-empty #fe-hits { display: none; }
    FindEverywhereScreen #fe-shown { height: auto; max-height: 5; padding: 0 1;
        background: $panel; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # Before the table's own enter (hidden), so the footer says what enter does here.
        Binding("enter", "open", "Open in its profile", id="find_everywhere.open", priority=True),
        Binding("escape", "close", "Close", id="find_everywhere.close"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.state: dict[str, str] = {}  # profile -> its progress line
        self.hits: list[Hit] = []
        self.sessions: dict[str, Session] = {}  # opened here (closed on leaving unless kept)
        self.answers: dict[str, Answer] = {}
        self.kept: str | None = None
        self.searches: list[Worker[None]] = []

    @property
    def crm(self) -> CrmApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """Title, a line per profile, the hits, and what nothing found looks like."""
        with Vertical():
            yield Static(Text(f"Find everywhere: {plain(self.text)}"), id="fe-title")
            yield Static("", id="fe-progress")
            table: DataTable[Text] = DataTable(id="fe-hits", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static("", id="fe-empty")
            yield Static("", id="fe-shown")
        yield ScreenFooter()

    def on_mount(self) -> None:
        """Every profile searched at once, each by its own worker."""
        table = self.query_one(DataTable)
        for name, width in COLUMNS:
            table.add_column(name, key=name, width=width)
        table.focus()
        for profile in self.crm.profiles:
            self.state[profile] = "waiting…"
            worker = self.run_worker(
                self._search(profile), group=f"find-{profile}", exit_on_error=False
            )
            self.searches.append(worker)
        self._show_progress()

    @property
    def done(self) -> bool:
        """Whether every profile has answered (found, nothing, or failed)."""
        return len(self.answers) == len(self.crm.profiles)

    async def _search(self, profile: str) -> None:
        start = time.monotonic()
        try:
            session = await asyncio.wait_for(self._session(profile), TIMEOUT)
            self._progress(profile, "searching…")
            left = max(1.0, TIMEOUT - (time.monotonic() - start))
            answer = await asyncio.wait_for(find_in(session, self.text), left)
        except TimeoutError:
            answer = Answer(profile, "", error=f"no answer within {TIMEOUT:.0f}s")
        except Exception as exc:  # a profile that cannot open says why; the others go on
            info = describe(exc)
            answer = Answer(profile, "", error=f"{info.title}: {info.message}")
        answer.seconds = time.monotonic() - start
        self._answered(answer)

    async def _session(self, profile: str) -> Session:
        app = self.crm
        if app.session is not None and app.session.profile.name == profile:
            return app.session
        if profile not in self.sessions:
            assert app.opener is not None
            self._progress(profile, "opening…")
            self.sessions[profile] = await app.opener(profile)
        return self.sessions[profile]

    def _progress(self, profile: str, said: str) -> None:
        self.state[profile] = said
        self._show_progress()

    def _answered(self, answer: Answer) -> None:
        self.answers[answer.profile] = answer
        took = f" · {answer.seconds:.1f}s"
        if answer.error:
            said = f"failed: {answer.error}"
        elif answer.hits:
            said = f"{plural(len(answer.hits), 'match', 'matches')}{took}"
        else:
            limits = "; ".join(h for h in answer.how if h.endswith("by email only"))
            said = f"no match{took}" + (f" ({limits})" if limits else "")
        self._progress(answer.profile, said)
        table = self.query_one(DataTable)
        for hit in answer.hits:
            self.hits.append(hit)
            table.add_row(*_row(hit), key=str(len(self.hits) - 1))
        if answer.hits:
            self.refresh_bindings()  # enter opens something now
        if self.done:
            self._finished()

    def _show_progress(self) -> None:
        out = Text()
        apart = "\n" if len(self.crm.profiles) <= ONE_A_LINE else "   "  # many: they wrap
        for profile in self.crm.profiles:
            said = self.state.get(profile, "")
            if out:
                out.append(apart)
            out.append(f"{plain(profile)}: ", style="bold")
            failed = said.startswith("failed")
            out.append(plain(said), style="red" if failed else "")
        self.query_one("#fe-progress", Static).update(out)

    def _finished(self) -> None:
        empty = not self.hits
        self.set_class(empty, "-empty")
        if empty:
            failed = sum(1 for a in self.answers.values() if a.error)
            why = f" ({plural(failed, 'profile')} could not answer)" if failed else ""
            text = f"Nothing found for {plain(self.text)!r} in any profile{why}. Esc closes."
            self.query_one("#fe-empty", Static).update(Text(text))

    def selected(self) -> Hit | None:
        """The hit under the cursor."""
        table = self.query_one(DataTable)
        if not self.hits or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.hits[int(key)] if key is not None else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Under the list: the highlighted hit in full (its key fields do not fit a row)."""
        hit = self.selected()
        text = Text()
        if hit is not None:
            text.append(f"{plain(hit.profile)} ({plain(hit.vendor)}) ", style="bold")
            text.append(f"{plain(hit.entity_label)} {plain(hit.record.id)}: {plain(hit.title)}")
            for label, value in hit.fields.items():
                text.append(f"\n  {plain(label)}: ", style="dim")
                text.append(plain(value))
        self.query_one("#fe-shown", Static).update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a row opens its record."""
        event.stop()
        self.action_open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter is shown (and opens) once something is found."""
        return bool(self.hits) if action == "open" else True

    def action_open(self) -> None:
        """Open the hit under the cursor in its own profile, the detail showing it."""
        hit = self.selected()
        if hit is None:
            return
        app = self.crm
        if app.session is not None and app.session.profile.name == hit.profile:
            session = app.session
        else:
            session = self.sessions[hit.profile]
            self.kept = hit.profile
        app.show_found(session, hit.entity, hit.record)

    def action_close(self) -> None:
        """Back to the browser."""
        self.dismiss()

    async def on_unmount(self) -> None:
        """Close the sessions opened here, except the one the app now uses."""
        for worker in self.searches:
            worker.cancel()
        for profile, session in self.sessions.items():
            if profile != self.kept:
                await session.aclose()


def _row(hit: Hit) -> tuple[Text, ...]:
    fields = "  ".join(f"{k}: {v}" for k, v in hit.fields.items())
    return tuple(
        Text(plain(part), no_wrap=True, overflow="ellipsis")
        for part in (hit.profile, hit.entity_label, hit.title, hit.changed, fields)
    )


async def land_on(main: MainScreen, entity: str, record: Record) -> None:
    """Once `main` shows `entity`'s list, put the cursor on `record` (or show it beside)."""
    await _settled(main, entity)
    if not main.go_to(record.id):
        with contextlib.suppress(CrmError):  # the search may have read only what it shows
            record = await main.session.backend.get(entity, record.id)
        await _settled(main, entity)  # the list may have reloaded meanwhile
        if not main.go_to(record.id):
            main.show_apart(record, "Found everywhere; it is not among the loaded rows")
            return
    if main.has_class("-narrow"):  # the detail, folded away when narrow, shows it
        main.add_class("-show-detail")
    else:
        main.remove_class("-hide-detail")


async def _settled(main: MainScreen, entity: str) -> None:
    """Wait (a while at most) for `entity`'s list to be open, its first page in and the detail
    showing the cursor's record, so that nothing queued replaces what is shown next."""
    deadline = time.monotonic() + LAND_WAIT
    while time.monotonic() < deadline:
        rows = main.records
        if main.entity is not None and main.entity.name == entity:
            if rows.current is not None and main.shown is rows.current:
                return
            known = rows.end is not None or rows.total is not None or main.has_class("-empty")
            if known and rows.row_count == 0:
                return
        await asyncio.sleep(0.05)


def ask_find_everywhere(app: CrmApp) -> None:
    """Ask for the text (an email, a name, an id), then search every profile for it."""
    from crmtui.ui.screens.ask_text import AskText

    def asked(text: str | None) -> None:
        if text:
            app.push_screen(FindEverywhereScreen(text))

    question = f"Find in every profile ({len(app.profiles)}): an email, a name or an id"
    app.push_screen(AskText(question, placeholder="ada@example.com"), asked)
