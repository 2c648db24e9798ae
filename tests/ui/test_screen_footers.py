"""Every screen's footer shows the keys that work there, most important first, the way out last
and kept when narrow, never a key cut in half: each screen opened on the demo as a user opens it."""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from crmtui.model import Change, Query
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.services import edits
from crmtui.services.demo import Demo, open_demo
from crmtui.services.edits import EditConflict
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config, build_app
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.bulk_edit import BulkEditScreen
from crmtui.ui.screens.find_everywhere import FindEverywhereScreen
from crmtui.ui.screens.jobs import JobsScreen
from crmtui.ui.screens.main import MainScreen
from crmtui.ui.screens.outbox import OutboxScreen
from crmtui.ui.screens.problem import ProblemScreen
from crmtui.ui.screens.sent import SentScreen
from crmtui.ui.screens.upsert import UpsertScreen
from crmtui.ui.screens.watch import WatchScreen

from .helpers import screen_text, settle, until
from .test_launch import args

SIZES = [(80, 24), (120, 36)]
OUTBOX_KEYS = ["r Retry", "e Resolve", "d Discard", "esc Back"]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("footers")
    open_demo(data_dir=folder, records=60).close()
    return folder


def footer(app: CrmApp) -> tuple[list[str], str]:
    """The footer's keys ("c Clear", ...) and what stands right of its divider."""
    line = screen_text(app).rstrip("\n").splitlines()[-1]
    assert len(line) == app.size.width, line  # one line, nothing past the edge
    left, _, right = line.partition("▏")
    return [k.strip() for k in left.split("  ") if k.strip()], right.strip()


async def open_main(pilot: Pilot[Any]) -> None:
    """Wait for the main screen and its first rows."""
    await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
    await settle(pilot)


async def press(pilot: Pilot[Any], keys: Sequence[str], opens: type[Screen[Any]]) -> None:
    """Press `keys` on the main screen; wait for the screen they open (some poll for ever:
    no waiting for every worker)."""
    await pilot.press(*keys)
    await until(pilot, lambda: isinstance(pilot.app.screen, opens))
    await pilot.pause()


async def shown(pilot: Pilot[Any], wanted: list[str]) -> tuple[list[str], str]:
    """The footer once it shows `wanted` (it follows focus and loads), or after 5 s as it is."""
    app = pilot.app
    assert isinstance(app, CrmApp)
    deadline = time.monotonic() + 5
    while footer(app)[0] != wanted and time.monotonic() < deadline:
        await pilot.pause(0.05)
    return footer(app)


PALETTE = "ctrl+p"
CASES = [  # profile, entity, keys from the main screen, the screen, its footer at 80 and 120
    ("demo-sharpspring", "lead", ["w"], WatchScreen, ["c Clear", "esc Back"]),
    ("demo-leadsquared", None, [PALETTE, *"Async jobs", "enter"], JobsScreen,
     ["r Check now", "esc Back"]),
    ("demo-influencersoft", "lead", ["n"], UpsertScreen, ["^s Send", "esc Back"]),
    ("demo-influencersoft", None, [PALETTE, *"Sent history", "enter"], SentScreen,
     ["r Refresh", "esc Back"]),
    ("demo-cmdatamanager", None, ["o"], OutboxScreen, ["esc Back"]),  # nothing pending
    ("demo-cmdatamanager", "lead", ["space", "B"], BulkEditScreen, ["^s Apply", "esc Back"]),
]  # fmt: skip


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize(
    ("profile", "entity", "keys", "opens", "wanted"),
    CASES,
    ids=[case[3].__name__ for case in CASES],
)
async def test_each_screen_shows_its_own_keys_the_way_out_last(
    demo_dir: Path,
    size: tuple[int, int],
    profile: str,
    entity: str | None,
    keys: list[str],
    opens: type[Screen[Any]],
    wanted: list[str],
) -> None:
    demo = open_demo(data_dir=demo_dir, records=60)
    options = {"entity": entity} if entity else {}
    app = app_for_config(demo.config, profile, memory_prefs(), dict(demo.transports), **options)
    async with app.run_test(size=size) as pilot:
        await open_main(pilot)
        await press(pilot, keys, opens)
        assert await shown(pilot, wanted) == (wanted, "^p palette")
    demo.close()


async def test_find_everywhere_shows_what_enter_does_once_something_is_found(
    demo_dir: Path,
) -> None:
    demo = open_demo(data_dir=demo_dir, records=60)
    app = app_for_config(demo.config, "demo-cmdatamanager", memory_prefs(), dict(demo.transports))
    async with app.run_test(size=(80, 24)) as pilot:
        for text, wanted in (
            ("a", ["⏎ Open in its profile", "esc Close"]),  # the table's enter opens the hit
            ("nobody.at.all@crossover-demo.test", ["esc Close"]),  # nothing to open
        ):
            await open_main(pilot)
            await pilot.press(PALETTE, *"Find everywhere", "enter")
            await until(pilot, lambda: app.screen.query("#ask-text").first().has_focus)
            await press(pilot, [*text, "enter"], FindEverywhereScreen)
            found = app.screen
            assert isinstance(found, FindEverywhereScreen)
            await until(pilot, partial(getattr, found, "done"))
            await pilot.pause()
            assert bool(found.hits) is (wanted[0] != "esc Close")
            assert await shown(pilot, wanted) == (wanted, "^p palette"), text
            await pilot.press("escape")
    demo.close()


async def make_conflict(app: CrmApp, demo: Demo) -> None:
    """The first lead changed elsewhere after it was read: our edit of it waits in the outbox."""
    session = app.session
    assert session is not None
    lead = (await session.backend.list_page("lead", Query(), 0, 1)).records[0]
    demo.stores["demo-cmdatamanager"].update(CMD_NS, "lead", lead.id, {"FirstName": "Theirs"})
    change = Change("FirstName", lead.values["FirstName"], "Mine")
    with pytest.raises(EditConflict):
        await edits.save_changes(session, "lead", lead.id, [change])


@pytest.mark.parametrize("width", [24, 40, 52, 80])
async def test_a_narrow_outbox_footer_shows_whole_keys_back_kept(
    tmp_path: Path, width: int
) -> None:
    demo = open_demo(data_dir=tmp_path, reset=True, records=60)
    app = app_for_config(demo.config, "demo-cmdatamanager", memory_prefs(), dict(demo.transports))
    async with app.run_test(size=(width, 24)) as pilot:
        await open_main(pilot)
        await make_conflict(app, demo)
        await press(pilot, ["o"], OutboxScreen)
        keys, right = footer(app)
        assert right == "^p palette"
        assert keys[-1] == "esc Back", keys  # the way out stays
        assert keys == [k for k in OUTBOX_KEYS if k in keys], keys  # whole keys, in order
        if width >= 80:
            assert keys == OUTBOX_KEYS
        await pilot.press("d")  # pending: d discards (asks first)
        await settle(pilot)
        assert not isinstance(app.screen, OutboxScreen)
    demo.close()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
async def test_the_problem_screen_shows_quit(tmp_path: Path, size: tuple[int, int]) -> None:
    app, cleanup = build_app(args(config=tmp_path / "absent.toml"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProblemScreen)
        assert await shown(pilot, ["q Quit"]) == (["q Quit"], "^p palette")
    cleanup()
