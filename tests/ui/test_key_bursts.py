"""Keys arriving in one burst (a paste, a laggy SSH link) land where keys typed slowly do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from crmtui.services.demo import Demo, open_demo
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.widgets.search_bar import SearchBar

from .conftest import AppFactory
from .helpers import main_screen, settle


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    """The demo's emulators with 100 records each."""
    demo = open_demo(data_dir=tmp_path, reset=True, records=100)
    yield demo
    demo.close()


KEY_NAMES = {"/": "slash", " ": "space", "?": "question_mark", "=": "equals_sign", "&": "ampersand"}


def burst(app: CrmApp, *keys: str) -> None:
    """Post every key at once, as the driver does when they arrive in one read."""
    for key in keys:
        if len(key) == 1:
            name = KEY_NAMES.get(key, key)
            app.post_message(events.Key(name, key))
        else:
            app.post_message(events.Key(key, None))


def search_input(app: CrmApp) -> Input:
    """The search bar's text field (the bar itself, or the Input inside it)."""
    bar = main_screen(app).query_one(SearchBar)
    return bar if isinstance(bar, Input) else bar.query_one(Input)


async def quiet(pilot: Pilot[Any]) -> None:
    """Let the burst and everything it started be handled."""
    for _ in range(4):
        await settle(pilot)
        await pilot.pause(0.05)


async def test_slash_and_text_in_one_burst_types_into_the_search_bar(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        burst(app, *"/kelly")
        await quiet(pilot)
        assert not isinstance(app.screen, EditScreen), "the burst opened the edit form"
        assert search_input(app).value == "kelly"
        assert app.focused is search_input(app)


async def test_ctrl_u_then_text_in_one_burst_keeps_the_text(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"old")
        await quiet(pilot)
        burst(app, "ctrl+u", *"new")
        await quiet(pilot)
        assert search_input(app).value == "new"


async def test_console_toggle_then_path_in_one_burst_lands_in_the_path(demo: Demo) -> None:
    app = app_for_config(demo.config, "demo-cmdatamanager", memory_prefs(), dict(demo.transports))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        burst(app, "ctrl+t", *"/lead?x=1")
        await quiet(pilot)
        assert not isinstance(app.screen, EditScreen)
        target = main_screen(app).query_one("#console-target", Input)
        assert target.value == "/lead?x=1"
