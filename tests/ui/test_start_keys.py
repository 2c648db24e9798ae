"""Keys typed while crmtui starts (`crmtui --demo` then `/kelly` Enter at once, over SSH) are
kept and reach the main screen, in order, once it is ready; quitting works at once meanwhile."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from crmtui.errors import ConfigError
from crmtui.ui.app import CrmApp
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.screens.main import MainScreen
from crmtui.ui.screens.problem import ProblemScreen
from tests.fakes import FakeBackend

from .conftest import AppFactory
from .helpers import main_screen, record_list
from .test_key_bursts import search_input


def slow_opener(app: CrmApp) -> asyncio.Event:
    """Make `app`'s profile open only once the returned event is set (a slow sign-in)."""
    opened = asyncio.Event()
    opener = app.opener
    assert opener is not None

    async def slow(name: str) -> Any:
        await opened.wait()
        return await opener(name)

    app.opener = slow
    return opened


async def until(pilot: Pilot[Any], done: Callable[[], bool], seconds: float = 15.0) -> None:
    """Let the app run until `done()` (fails the test after `seconds`)."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


def on_row(app: CrmApp, record_id: str) -> bool:
    current = record_list(app).current
    return current is not None and current.id == record_id


def main_ready(app: CrmApp) -> bool:
    main = app.main_screen
    return main is not None and main.entity is not None and record_list(app).row_count > 0


async def test_a_search_typed_before_the_main_screen_exists_is_done(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    opened = slow_opener(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"person1234@example.com", "enter")
        assert app.main_screen is None  # typed while the profile was still opening
        opened.set()
        await until(pilot, lambda: main_ready(app) and app.focused is record_list(app))
        await until(pilot, lambda: on_row(app, "1234"))  # the find landed on the match
        assert search_input(app).value == "person1234@example.com"
        assert app.focused is record_list(app)  # the list has the keys, as after a slow Enter
        assert not isinstance(app.screen, EditScreen)


async def test_an_enter_the_terminal_turned_into_ctrl_j_still_submits(
    app_factory: AppFactory,
) -> None:
    # typed before the terminal was raw: the line discipline turned CR into LF (ctrl+j)
    app = app_factory()
    opened = slow_opener(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"person7@example.com", "ctrl+j")
        opened.set()
        await until(pilot, lambda: main_ready(app) and app.focused is record_list(app))
        await until(pilot, lambda: on_row(app, "7"))
        assert search_input(app).value == "person7@example.com"


async def test_arrows_typed_before_the_first_rows_move_the_cursor(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    backend.delay = 0.5  # the main screen is up; its first page is on its way
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert record_list(app).row_count == 0
        await pilot.press("down", "down", "down")
        await until(pilot, lambda: main_ready(app))
        await until(pilot, lambda: record_list(app).cursor == 3, seconds=5)
        current = record_list(app).current
        assert current is not None and current.id == "4"


async def test_ctrl_q_quits_at_once_while_the_profile_opens(app_factory: AppFactory) -> None:
    app = app_factory()
    slow_opener(app)  # never opens
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, seconds=5)


async def test_ctrl_c_quits_at_once_while_the_profile_opens(app_factory: AppFactory) -> None:
    app = app_factory()
    slow_opener(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c")
        await until(pilot, lambda: not app.is_running, seconds=5)


async def test_q_typed_first_quits_at_once_but_a_q_in_a_search_is_text(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    slow_opener(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, seconds=5)

    app = app_factory()
    opened = slow_opener(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", "q")
        assert app.is_running
        opened.set()
        await until(pilot, lambda: main_ready(app) and search_input(app).value == "q")
        assert app.is_running
        assert isinstance(app.focused, Input)


async def test_keys_typed_for_the_browser_do_not_act_on_the_problem_screen(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    opened = asyncio.Event()

    async def failing(name: str) -> Any:
        await opened.wait()
        raise ConfigError("profile 'test': the token file is missing")

    app.opener = failing
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"abc", "escape")  # escape would quit the problem screen
        opened.set()
        await until(pilot, lambda: isinstance(app.screen, ProblemScreen))
        await pilot.pause(0.2)
        assert app.is_running and isinstance(app.screen, ProblemScreen)
        await pilot.press("escape")  # typed on the problem screen: it quits
        await until(pilot, lambda: not app.is_running, seconds=5)


async def test_keys_typed_after_start_up_still_go_at_once(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: main_ready(app) and not app.keygate.starting, seconds=5)
        await pilot.press("down")
        await until(pilot, lambda: record_list(app).cursor == 1, seconds=5)
        assert main_screen(app).records is record_list(app)


async def test_a_start_up_that_breaks_does_not_hold_the_keys_for_ever(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.command import CommandPalette

    from crmtui.ui import safety

    def broken(app: Any, session: Any) -> None:
        raise RuntimeError("broken while opening")

    monkeypatch.setattr(safety, "session_opened", broken)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: not app.keygate.starting, seconds=5)
        await pilot.press("ctrl+p")  # the palette still opens (another profile can be chosen)
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), seconds=5)
