"""The console at 80x24 and 120x36: the answer readable, a working example, keys that toggle it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widget import Widget
from textual.widgets import Input, TextArea

from crmtui.services.demo import Demo, open_demo
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.widgets.console import ConsolePane
from crmtui.ui.widgets.console_body import BodyView
from crmtui.ui.widgets.record_list import RecordList

from .helpers import main_screen, screen_text, settle

VENDORS = ("cmdatamanager", "leadsquared", "sharpspring", "influencersoft")
# what the answer to each vendor's example holds
ANSWERS = {
    "cmdatamanager": '"ExternalID"',
    "leadsquared": '"SchemaName"',
    "sharpspring": '"lead"',
    "influencersoft": '"rass_title"',
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo's emulators, 100 records each (shared by this module's tests)."""
    demo = open_demo(data_dir=tmp_path_factory.mktemp("demo"), reset=True, records=100)
    yield demo
    demo.close()


def focused(app: CrmApp) -> Widget | None:
    """The focused widget, read afresh (keys move it between asserts)."""
    return app.focused


def rows(widget: Widget) -> int:
    """The rows `widget` takes on screen now."""
    return widget.region.height


def shown(widget: Widget) -> bool:
    """Whether `widget` is displayed now."""
    return bool(widget.display)


def make(demo: Demo, vendor: str = "cmdatamanager") -> CrmApp:
    return app_for_config(demo.config, f"demo-{vendor}", memory_prefs(), dict(demo.transports))


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
@pytest.mark.parametrize("vendor", VENDORS)
async def test_the_example_is_one_key_away_and_its_answer_is_on_screen(
    demo: Demo, vendor: str, size: tuple[int, int]
) -> None:
    app = make(demo, vendor)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        pane = main_screen(app).query_one(ConsolePane)
        first = app.focused
        assert isinstance(first, Input) and first.value == ""
        assert pane.shape.example_method or pane.shape.example
        assert (pane.shape.example or pane.shape.example_method) in screen_text(app)
        await pilot.press("right", "f5")
        await settle(pilot)
        text = screen_text(app)
        assert "HTTP 200" in text, text
        assert ANSWERS[vendor] in pane.query_one(BodyView).text
        view = pane.query_one(BodyView)
        assert view.region.height >= (5 if size[1] == 24 else 10), text
        shown = [line for line in text.splitlines() if ANSWERS[vendor] in line]
        assert shown or view.max_scroll_y > 0  # the answer is on screen or a scroll away
        await pilot.press("pagedown")
        await settle(pilot)
        assert view.scroll_y > 0 or view.max_scroll_y == 0


async def test_the_answer_scrolls_and_f10_gives_it_the_whole_screen(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.press(*"/lead?per_page=20&page=1", "enter")
        await settle(pilot)
        screen = main_screen(app)
        view = screen.query_one(BodyView)
        assert app.focused is view
        before = view.region.height
        await pilot.press("down", "down", "down")
        await settle(pilot)
        assert view.scroll_y == 3
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert view.region.height > before + 5
        assert not screen.query_one(RecordList).region.height
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert screen.query_one(RecordList).region.height > 3


async def test_f2_opens_the_request_again_and_the_answer_back(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t", "right", "enter")
        await settle(pilot)
        pane = main_screen(app).query_one(ConsolePane)
        body = pane.query_one("#console-body", TextArea)
        assert not rows(body)  # folded while the answer is read
        await pilot.press("f2")
        await settle(pilot)
        assert rows(body) and isinstance(focused(app), Input)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert isinstance(focused(app), BodyView) and not rows(body)


async def test_backtick_closes_the_console_from_its_own_field(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("grave_accent")
        await settle(pilot)
        pane = main_screen(app).query_one(ConsolePane)
        target = pane.query_one("#console-target", Input)
        assert app.focused is target
        await pilot.press(*"/lead", "grave_accent")
        await settle(pilot)
        assert not shown(pane) and "`" not in target.value
        assert isinstance(focused(app), RecordList)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert shown(pane) and focused(app) is target and target.value == "/lead"


async def test_letters_in_the_answer_do_not_run_browser_commands(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t", "right", "enter")
        await settle(pilot)
        assert isinstance(app.focused, BodyView)
        await pilot.press("e", "d", "n", "o", "c")
        await settle(pilot)
        assert not isinstance(app.screen, EditScreen)
        assert app.screen is main_screen(app), type(app.screen).__name__
