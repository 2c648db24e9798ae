"""The Textual app and `make_app`, the factory shared by `crmtui`, the tests and the scripts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType

from crmtui.services.prefs import Prefs, memory_prefs
from crmtui.services.session import Session
from crmtui.ui.commands import CrmCommands
from crmtui.ui.keymap import apply_keymap
from crmtui.ui.screens.main import MainScreen
from crmtui.ui.screens.problem import ProblemInfo, ProblemScreen
from crmtui.ui.text import plain

SessionOpener = Callable[[str], Awaitable[Session]]
DEFAULT_THEME = "textual-dark"


class CrmApp(App[int]):
    """crmtui: one open session at a time, shown on a MainScreen; problems on a ProblemScreen."""

    CSS_PATH = "app.tcss"
    TITLE = "crmtui"
    COMMANDS = App.COMMANDS | {CrmCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

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
    ) -> None:
        super().__init__()
        self.opener = opener
        self.profiles = list(profiles)
        self.initial = initial
        self.prefs = prefs
        self.keymap_table = dict(keymap or {})
        self.problem = problem
        self.entity = entity
        self.wanted_theme = theme
        self.config_path = config_path
        self.session: Session | None = None

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

        for warning in register_themes(self):
            self.notify(plain(warning), title="Theme skipped", severity="warning")
        theme = self.wanted_theme or self.prefs.theme or DEFAULT_THEME
        if theme not in self.available_themes:
            self.notify(
                f"Unknown theme {plain(theme)!r}; using {DEFAULT_THEME}.", severity="warning"
            )
            theme = DEFAULT_THEME
        self.theme = theme
        for warning in apply_keymap(self, self.keymap_table, self.binding_classes()):
            self.notify(plain(warning), title="Keymap", severity="warning", timeout=8)
        if self.problem is not None:
            self.push_screen(ProblemScreen(self.problem))
        elif self.initial is None or self.opener is None:
            self.push_screen(
                ProblemScreen(
                    ProblemInfo(
                        "No profile", "The profile file defines no profiles.", self.config_path
                    )
                )
            )
        else:
            self.open_profile(self.initial)

    def binding_classes(self) -> list[type[Any]]:
        """Every class whose bindings a `[keymap]` table may remap."""
        from crmtui.ui.screens.columns import ColumnsScreen
        from crmtui.ui.screens.dialogs import ConfirmScreen, DeleteScreen
        from crmtui.ui.screens.edit import EditScreen
        from crmtui.ui.screens.jump import JumpScreen
        from crmtui.ui.widgets.detail import DetailPane
        from crmtui.ui.widgets.record_list import RecordList
        from crmtui.ui.widgets.search_bar import SearchBar

        return [
            type(self),
            MainScreen,
            RecordList,
            SearchBar,
            DetailPane,
            EditScreen,
            ConfirmScreen,
            DeleteScreen,
            JumpScreen,
            ColumnsScreen,
            ProblemScreen,
        ]

    @work(group="session", exclusive=True, exit_on_error=False, description="open profile")
    async def open_profile(self, name: str) -> None:
        """Open profile `name` and show it; the first failure shows the problem screen."""
        assert self.opener is not None
        try:
            session = await self.opener(name)
        except Exception as exc:
            problem = ProblemInfo.from_error(exc, self.config_path)
            if self.session is None:
                await self.push_screen(ProblemScreen(problem))
            else:
                self.notify(plain(problem.message), title=plain(problem.title), severity="error")
            return
        old, self.session = self.session, session
        screen = MainScreen(session, self.prefs, self.entity if old is None else None)
        if old is None:
            await self.push_screen(screen)
        else:
            while len(self.screen_stack) > 2:
                self.pop_screen()
            await self.switch_screen(screen)
            await old.aclose()

    def choose_theme(self, name: str) -> None:
        """Switch theme and remember it."""
        self.theme = name
        if self.prefs.theme != name:
            self.prefs.set_theme(name)

    def action_help(self) -> None:
        """Every binding of the app and the active screen."""
        from crmtui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    async def on_unmount(self) -> None:
        """Close the session's HTTP client."""
        if self.session is not None:
            await self.session.aclose()


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
    )
