"""As the local copy's first sync ends, the list starts reading from the copy: it keeps showing
its rows until the copy's first page is there (it went blank, "no rows · local copy, synced
just now", behind the actions dialog opened right after launch)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from crmtui.model import Page, Query
from crmtui.services import mirror_sync
from crmtui.services.mirror_source import MirrorSource
from crmtui.ui.app import CrmApp, make_app
from crmtui.ui.screens.action_picker import ActionsScreen
from tests.fakes import FakeProfile, FakeSession

from .helpers import main_screen, screen_text, settle
from .test_triage_actions import ActingBackend


class MirrorProfile(FakeProfile):
    """A profile that keeps a local copy."""

    mirror: bool = True


@dataclass
class Gates:
    """The race, held open: the first sync waits for `sync`; the copy's first read waits for
    `read` (as it does while the next entity's copy is being written), `reading` once begun."""

    sync: asyncio.Event = field(default_factory=asyncio.Event)
    reading: asyncio.Event = field(default_factory=asyncio.Event)
    read: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
def gates(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gates]:
    held = Gates()
    monkeypatch.setattr("crmtui.ui.find_sync.START_AFTER", 0.0)
    sync_entity, list_page = mirror_sync.sync_entity, MirrorSource.list_page

    async def held_sync(*args: Any, **kwargs: Any) -> None:
        await held.sync.wait()
        await sync_entity(*args, **kwargs)

    async def held_read(
        self: MirrorSource, entity: str, query: Query, offset: int, limit: int
    ) -> Page:
        held.reading.set()
        await held.read.wait()
        return await list_page(self, entity, query, offset, limit)

    monkeypatch.setattr(mirror_sync, "sync_entity", held_sync)
    monkeypatch.setattr(MirrorSource, "list_page", held_read)
    yield held
    held.sync.set()
    held.read.set()


def app_over(prefs: Any) -> CrmApp:
    backend = ActingBackend()  # 50 leads, with record actions

    async def opener(name: str) -> Any:
        return FakeSession(backend, MirrorProfile(name=name))

    return make_app(opener=opener, profiles=["test"], prefs=prefs, theme="textual-dark")


def status(app: CrmApp) -> str:
    """The status line (above the footer)."""
    return screen_text(app).rstrip("\n").splitlines()[-2]


async def until(pilot: Any, done: Callable[[], bool]) -> None:
    """Let the app run until `done()` (a sync held open never lets every worker finish)."""
    for _ in range(500):
        if done():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")


async def test_the_list_behind_the_actions_dialog_keeps_its_rows_as_the_copy_takes_over(
    prefs: Any, gates: Gates
) -> None:
    app = app_over(prefs)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "row 1 of 50" in status(app))
        await pilot.press("a")  # right after launch, while the first sync is on its way
        await until(pilot, lambda: isinstance(app.screen, ActionsScreen))
        gates.sync.set()
        await until(pilot, gates.reading.is_set)  # synced; the copy's first page is being read
        for _ in range(3):
            await pilot.pause()
            assert "no rows" not in status(app), status(app)
            assert "row 1 of 50" in status(app) and "First2 " in screen_text(app)
        gates.read.set()
        await until(pilot, lambda: "local copy" in status(app))
        assert "row 1 of 50 · local copy, synced just now" in status(app), status(app)
        assert "First2 " in screen_text(app) and isinstance(app.screen, ActionsScreen)
        assert main_screen(app).finder.from_mirror()


async def test_a_list_moved_while_the_copy_is_read_stays_where_it_was(
    prefs: Any, gates: Gates
) -> None:
    app = app_over(prefs)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "row 1 of 50" in status(app))
        gates.sync.set()
        await until(pilot, gates.reading.is_set)
        await pilot.press("down", "down")  # the user moved on: the list is not started again
        gates.read.set()
        await settle(pilot)
        main = main_screen(app)
        assert main.records.cursor == 2 and not main.finder.from_mirror()
        assert "row 3 of 50" in status(app), status(app)
