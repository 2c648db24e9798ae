"""The Textual app and `make_app`, the factory shared by `crmtui`, the tests and the scripts."""

from __future__ import annotations

import gc
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import BindingType
from textual.command import Provider

from crmtui.model import Record
from crmtui.services import opening
from crmtui.services.session import Session
from crmtui.ui import safety
from crmtui.ui.crash import CrashSafeApp
from crmtui.ui.keygate import KeyGate, KeyHandled
from crmtui.ui.keymap import apply_keymap
from crmtui.ui.messages import ListError, ListStatus
from crmtui.ui.prefs import Prefs, memory_prefs
from crmtui.ui.screens.main import MainScreen
from crmtui.ui.start_at import StartAt as StartAt  # re-exported: `crmtui edit` builds one
from crmtui.ui.start_at import start_at
from crmtui.ui.start_keys import StartKeys
from crmtui.ui.text import plain

if TYPE_CHECKING:  # the problem screen loads when there is a problem to show
    from crmtui.ui.screens.problem import ProblemInfo

SessionOpener = Callable[[str], Awaitable[Session]]
DEFAULT_THEME = "textual-dark"


def osc52_for_terminal(sequence: str, environ: Mapping[str, str]) -> str:
    """GNU screen drops OSC 52 unless it is wrapped in a DCS passthrough; tmux and others don't."""
    if environ.get("STY") and not environ.get("TMUX"):
        return f"\x1bP{sequence}\x1b\\"
    return sequence


def resume_gc() -> None:
    """Turn the cycle collector back on, with what start-up built (modules, classes, styles,
    widgets: alive for good) frozen out of its passes: a full pass over them stalled the app
    for 0.1-0.2 s now and then while browsing; after the freeze it takes under a millisecond."""
    gc.freeze()
    gc.enable()


def crm_commands() -> type[Provider]:
    """crmtui's palette commands, imported when the palette first opens (not at start-up)."""
    from crmtui.ui.commands import CrmCommands

    return CrmCommands


class CrmApp(CrashSafeApp[int]):
    """crmtui: one open session at a time, shown on a MainScreen; problems on a ProblemScreen."""

    CSS_PATH = "app.tcss"
    TITLE = "crmtui"
    COMMANDS = App.COMMANDS | {crm_commands}
    BINDINGS: ClassVar[list[BindingType]] = []
    """None of the app's own: letter keys on the app would fire inside forms (see MainScreen)."""

    def __init__(
        self,
        *,
        opener: SessionOpener | None,
        profiles: Sequence[str],
        initial: str | None,
        prefs: Prefs,
        keymap: Mapping[str, Any] | None = None,
        problem: ProblemInfo | None = None,
        entity: str | None = None,
        theme: str | None = None,
        config_path: Path | None = None,
        low_bandwidth: bool = False,
        start: StartAt | None = None,
    ) -> None:
        super().__init__()
        self.low_bandwidth = low_bandwidth
        if low_bandwidth:
            self.animation_level = "none"
        self.start = start
        self.opener = opener
        self.profiles = profiles
        self.initial = initial
        self.prefs = prefs
        self.keymap_table = dict(keymap or {})
        self.problem = problem
        self.entity = entity
        self.wanted_theme = theme
        self.config_path = config_path
        self.session: Session | None = None
        self.keygate = KeyGate(self, closed=True)  # keys typed while starting: see StartKeys
        self.start_keys = StartKeys(self)
        self.resume_gc_in: float | None = None
        """Seconds after mounting to turn the cycle collector back on (`launch.run` paused it)."""

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes go out one at a time, each once the one before has been handled."""
        gate = self.keygate
        if gate.starting:
            event = self.start_keys.as_typed(event)
        if gate.starting and self.start_keys.quits_now(event):
            gate.open(drop=True)
            await self.action_quit()
            return
        if gate.hold(event):
            return
        tracked = id(event) in gate.waiting
        target = gate.target() if tracked else None
        await super().on_event(event)
        if target is not None:
            gate.follow(target, event)

    @on(ListStatus)
    @on(ListError)
    def _list_moved(self) -> None:
        """The main screen's list has news (bubbled up): keys typed at start-up may go."""
        if self.keygate.starting:
            self.start_keys.list_moved()

    def on_key_handled(self, message: KeyHandled) -> None:
        """A key came back up to the app: the gate may release the next one."""
        message.stop()
        self.keygate.handled(message)

    @property
    def main_screen(self) -> MainScreen | None:
        """The main screen, when a session is open."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    def on_mount(self) -> None:
        """Themes, keymap, then the first profile (or the problem that stops it)."""
        from crmtui.ui.themes import register_themes

        if self.resume_gc_in is not None:
            self.set_timer(self.resume_gc_in, resume_gc, name="resume gc")

        for warning in register_themes(self):
            self.notify(plain(warning), title="Theme skipped", severity="warning")
        theme = self.wanted_theme or self.prefs.theme or DEFAULT_THEME
        if theme not in self.available_themes:
            self.notify(
                f"Unknown theme {plain(theme)!r}; using {DEFAULT_THEME}.", severity="warning"
            )
            theme = DEFAULT_THEME
        self.theme = theme
        if self.keymap_table:  # the classes import every screen: only for a keymap to apply
            for warning in apply_keymap(self, self.keymap_table, self.binding_classes()):
                self.notify(plain(warning), title="Keymap", severity="warning", timeout=8)
        if self.initial is not None and self.opener is not None and self.problem is None:
            self.open_profile(self.initial)
            return
        from crmtui.ui.screens.problem import ProblemInfo, ProblemScreen

        if self.problem is None:
            why = "The profile file defines no profiles."
            self.problem = ProblemInfo("No profile", why, self.config_path)
        self.push_screen(ProblemScreen(self.problem))
        self.keygate.open(drop=True)  # keys typed for the browser: not for this screen

    def binding_classes(self) -> list[type[Any]]:
        """Every class whose bindings a `[keymap]` table may remap (every id `?` lists)."""
        from crmtui.ui.bindable import binding_classes

        return binding_classes(type(self))

    @work(group="session", exclusive=True, exit_on_error=False, description="open profile")
    async def open_profile(self, name: str) -> None:
        """Open profile `name` and show it; the first failure shows the problem screen."""
        try:
            await self._open_profile(name)
        except BaseException:
            self.keygate.open()  # whatever went wrong, keys typed meanwhile are not held for ever
            raise

    async def _open_profile(self, name: str) -> None:
        assert self.opener is not None
        try:
            session = await self.opener(name)
        except Exception as exc:
            from crmtui.ui.screens.problem import ProblemInfo, ProblemScreen

            problem = ProblemInfo.from_error(exc, self.config_path)
            if self.session is None:
                await self.push_screen(ProblemScreen(problem))
                self.keygate.open(drop=True)  # keys typed for the browser: not for this screen
            else:
                self.notify(plain(problem.message), title=plain(problem.title), severity="error")
            return
        old, self.session = self.session, session
        safety.session_opened(self, session)
        if old is None and self.start is not None:
            await start_at(self, session, self.start)
            return
        wanted = self.entity if old is None else None
        opening.start(session.backend, wanted, _local_copy(session))  # while the screen is built
        screen = MainScreen(session, self.prefs, wanted)
        if old is None:
            screen.hold_frames()
            await self.push_screen(screen)
            self.release_start_keys(screen)
        else:
            while len(self.screen_stack) > 2:
                self.pop_screen()
            await self.switch_screen(screen)
            await old.aclose()

    @work(group="start keys", exit_on_error=False, description="keys typed at start-up")
    async def release_start_keys(self, main: MainScreen) -> None:
        """The keys typed while starting go to `main` once it is ready (see StartKeys)."""
        await self.start_keys.release_when_ready(main)

    @work(group="session", exclusive=True, exit_on_error=False, description="show found record")
    async def show_found(self, session: Session, entity: str, record: Record) -> None:
        """Make `session` (a found record's profile, already open) the app's and show `record`."""
        from crmtui.ui.screens.find_everywhere import land_on

        old, main = self.session, self.main_screen
        if old is not session or main is None:
            self.session = session
            safety.session_opened(self, session)
            main = MainScreen(session, self.prefs, entity)
            while len(self.screen_stack) > 2:
                self.pop_screen()
            await (self.switch_screen if old is not None else self.push_screen)(main)
            if old is not None and old is not session:
                await old.aclose()
        else:
            while self.screen is not main:
                self.pop_screen()
            if main.entity is None or main.entity.name != entity:
                main.open_entity(entity)
        main.run_worker(land_on(main, entity, record), group="land", exclusive=True)

    def copy_to_clipboard(self, text: str) -> None:
        """Copy with OSC 52, which reaches the user's own clipboard through SSH, tmux and screen."""
        self._clipboard = text
        if self._driver is None:
            return
        import base64

        encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
        self._driver.write(osc52_for_terminal(f"\x1b]52;c;{encoded}\a", os.environ))

    def choose_theme(self, name: str) -> None:
        """Switch theme and remember it."""
        self.theme = name
        if self.prefs.theme != name:
            self.prefs.set_theme(name)

    def action_help(self) -> None:
        """Every binding of the app and the active screen."""
        from crmtui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        """Quit; with an unsaved form or writes not yet applied, ask first and say what is kept."""
        warning = safety.quit_warning(self)
        if warning is None:
            self.exit()
            return
        from crmtui.ui.screens.dialogs import ConfirmScreen

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        await self.push_screen(ConfirmScreen("Quit crmtui?", plain(warning)), answered)

    def action_outbox(self) -> None:
        """The writes of this profile that are not applied yet."""
        safety.push_outbox(self)

    async def on_unmount(self) -> None:
        """Close the session's HTTP client."""
        self.keygate.close()
        if self.session is not None:
            await self.session.aclose()


def _local_copy(session: Session) -> Callable[[str], bool] | None:
    """Whether an entity's list is read from the session's local copy (a complete mirror)."""
    if not getattr(session.profile, "mirror", False):
        return None
    from crmtui.services.mirror_sync import mirror_for

    mirror = mirror_for(session)
    return None if mirror is None else mirror.ready


def make_app(
    *,
    opener: SessionOpener | None = None,
    profiles: Sequence[str] = (),
    initial: str | None = None,
    prefs: Prefs | None = None,
    keymap: Mapping[str, Any] | None = None,
    problem: ProblemInfo | None = None,
    entity: str | None = None,
    theme: str | None = None,
    config_path: Path | None = None,
    low_bandwidth: bool = False,
    start: StartAt | None = None,
) -> CrmApp:
    """The app, for `crmtui`, the tests and the screenshot script alike."""
    return CrmApp(
        opener=opener,
        profiles=profiles,
        initial=initial if initial is not None else (profiles[0] if profiles else None),
        prefs=prefs if prefs is not None else memory_prefs(),
        keymap=keymap,
        problem=problem,
        entity=entity,
        theme=theme,
        config_path=config_path,
        low_bandwidth=low_bandwidth,
        start=start,
    )
