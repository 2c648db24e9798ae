"""Keys right behind a search (one burst over SSH: `/`, an email, Enter, `e`) act on the match."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from crmtui.ui.messages import RecordHighlighted
from crmtui.ui.screens.dialogs import DeleteScreen
from crmtui.ui.screens.edit import EditScreen
from tests.fakes import FakeBackend

from .conftest import AppFactory
from .helpers import main_screen, notified, settle
from .test_key_bursts import burst, quiet


async def until(pilot: Pilot[Any], done: Callable[[], bool], seconds: float = 15.0) -> None:
    """Let the burst be handled until `done()` (the key gate releases keys one at a time)."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        await quiet(pilot)


@pytest.fixture
def backend() -> FakeBackend:
    """10,000 leads read slowly: a find by email scans pages for a while before it lands."""
    return FakeBackend(delay=0.02)


@pytest.mark.parametrize("row", [1, 2_500])
async def test_e_in_the_same_burst_as_the_search_edits_the_match(
    app_factory: AppFactory, row: int
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "/", *f"person{row}@example.com", "enter", "e")
        await until(pilot, lambda: isinstance(app.screen, EditScreen))
        screen = app.screen
        assert isinstance(screen, EditScreen), f"e did not open the form: {screen}"
        assert screen.record is not None and screen.record.id == str(row)
        main = main_screen(app)
        assert main.search_bar.value == f"person{row}@example.com"  # e was not typed into it


async def test_d_behind_a_search_offers_to_delete_the_match(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        burst(app, "/", *"person1234@example.com", "enter", "d")
        await until(pilot, lambda: isinstance(app.screen, DeleteScreen))
        assert isinstance(app.screen, DeleteScreen)
        assert app.screen.record_id == "1234"


async def test_a_command_behind_a_search_with_no_match_does_nothing(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "/", *"nobody@example.com", "enter", "e")
        await until(pilot, lambda: "No match." in notified(app))
        await quiet(pilot)
        assert not isinstance(app.screen, EditScreen), "e edited a lead that does not match"


async def test_the_detail_follows_the_cursor_while_pages_keep_arriving(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        main = main_screen(app)
        records = main.records
        main.defer_detail()  # as a find landing does: the row first, the detail a moment later
        records.cursor = 5
        wanted = records.current
        assert wanted is not None and main.shown is not wanted
        for _ in range(20):  # a page every 20 ms, as while a find scans: each says "highlighted"
            records.post_message(RecordHighlighted(records.current))
            await pilot.pause(0.02)
        assert main.shown is wanted, "the detail waited for the pages to stop"
