"""The console in the real app: toggled by key and palette, sharing the screen with the list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from crmtui.services.demo import Demo, open_demo
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.widgets.console import ConsolePane
from crmtui.ui.widgets.console_body import BodyView
from crmtui.ui.widgets.record_list import RecordList

from .helpers import main_screen, settle

PROFILE = "demo-cmdatamanager"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=100)
    yield demo
    demo.close()


def make(demo: Demo) -> CrmApp:
    return app_for_config(demo.config, PROFILE, memory_prefs(), dict(demo.transports))


async def test_toggle_key_shows_the_console_beside_the_list_and_calls_go_through(
    demo: Demo,
) -> None:
    app = make(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("ctrl+t")
        await settle(pilot)
        pane = screen.query_one(ConsolePane)
        assert pane.display and screen.query_one(RecordList).display
        assert pane.region.height > 5 and screen.query_one(RecordList).region.height > 5
        target = pane.query_one("#console-target", Input)
        assert app.focused is target
        before = screen.session.log.count
        await pilot.press(*"/lead?per_page=2&page=1", "enter")
        await settle(pilot)
        assert '"ExternalID"' in pane.query_one(BodyView).text
        assert screen.session.log.count > before  # the browser's own request log
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not screen.query_one(ConsolePane).display
        assert isinstance(app.focused, RecordList)


async def test_palette_toggles_the_console(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Toggle console")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert main_screen(app).query(ConsolePane)


async def test_console_actions_are_in_the_palette_and_ctrl_g_sends(demo: Demo) -> None:
    from crmtui.ui.commands import CrmCommands

    app = make(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("ctrl+t")
        await settle(pilot)
        names = [name for name, _, _ in CrmCommands(screen).commands()]
        assert "Console: send the request" in names and "Console: copy as curl" in names
        pane = screen.query_one(ConsolePane)
        pane.query_one("#console-target", Input).value = "/account?per_page=1&page=1"
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert '"ExternalID"' in pane.query_one(BodyView).text
