"""Find everywhere from the palette, on the demo: every profile searched, Enter opens the record in
its own profile with the detail showing it; nothing found says so; Esc closes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from crmtui.errors import AuthError
from crmtui.sandbox.seed import CROSS_VENDOR_PEOPLE
from crmtui.services.demo import Demo, open_demo
from crmtui.services.session import Session
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.find_everywhere import FindEverywhereScreen
from crmtui.ui.screens.main import MainScreen

from .helpers import screen_text, until

LISTABLE = {"demo-cmdatamanager", "demo-sharpspring", "demo-leadsquared"}


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=200)
    yield demo
    demo.close()


async def find_everywhere(pilot: Pilot[Any], app: CrmApp, text: str) -> FindEverywhereScreen:
    """The user's path: the palette, the command, the text; waits for every profile."""
    await until(pilot, lambda: isinstance(app.screen, MainScreen))
    await pilot.press("ctrl+p", *"Find everywhere", "enter")
    await until(pilot, lambda: app.screen.query("#ask-text").first().has_focus)
    await pilot.press(*text, "enter")
    await until(pilot, lambda: isinstance(app.screen, FindEverywhereScreen))
    screen = app.screen
    assert isinstance(screen, FindEverywhereScreen)
    await until(pilot, lambda: screen.done)
    await pilot.pause()
    return screen


async def test_a_person_in_three_vendors_is_three_rows_and_enter_opens_it_there(
    demo: Demo,
) -> None:
    person = CROSS_VENDOR_PEOPLE[0]
    name = f"{person.first} {person.last}"
    app = app_for_config(demo.config, "demo-cmdatamanager", memory_prefs(), dict(demo.transports))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await find_everywhere(pilot, app, name)
        assert sorted(h.profile for h in screen.hits) == sorted(LISTABLE)
        shown = screen_text(app)
        for profile in app.profiles:
            assert profile in shown  # a line per profile says how its search went
        assert shown.count(name) >= 3
        assert "failed" not in shown

        row = next(i for i, h in enumerate(screen.hits) if h.profile == "demo-sharpspring")
        hit = screen.hits[row]
        await pilot.press(*["down"] * row)
        assert screen.selected() is hit
        await pilot.press("enter")
        await until(
            pilot, lambda: app.session is not None and app.session.profile.name == hit.profile
        )
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        assert isinstance(main, MainScreen)
        await until(pilot, lambda: main.shown is not None and main.shown.id == hit.record.id)
        await pilot.pause()
        text = screen_text(app)
        assert "SharpSpring" in text.splitlines()[0]  # the header names the profile now open
        assert person.email in text  # the detail shows the record
        opened = main.shown
        assert opened is not None
        assert person.city in opened.values.values()  # all of it, not only what a row shows
        assert len(app.screen_stack) == 2  # the results are closed, not stacked


async def test_by_email_each_profile_answers_and_nothing_found_says_so(demo: Demo) -> None:
    person = CROSS_VENDOR_PEOPLE[1]
    app = app_for_config(demo.config, "demo-leadsquared", memory_prefs(), dict(demo.transports))
    opener = app.opener
    assert opener is not None

    async def refused_once(name: str) -> Session:
        if name == "demo-influencersoft" and not refused:
            refused.append(name)
            raise AuthError("the API key was refused")
        return await opener(name)

    refused: list[str] = []
    app.opener = refused_once
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await find_everywhere(pilot, app, person.email)
        assert {h.profile for h in screen.hits} == LISTABLE
        # one profile failing says why on its own line; the others still answer
        assert "demo-influencersoft: failed: Authentication failed" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.session is not None and app.session.profile.name == "demo-leadsquared"

        screen = await find_everywhere(pilot, app, "nobody.at.all@crossover-demo.test")
        assert not screen.hits
        assert "Nothing found for 'nobody.at.all@crossover-demo.test'" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
