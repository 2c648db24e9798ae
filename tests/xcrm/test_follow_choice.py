"""`f` on a record holding several references (a SharpSpring opportunity's lead, account,
owner…) offers a numbered choice; the chosen one opens, and back returns (Pilot, 80x24)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crmtui.services.demo import Demo, open_demo
from crmtui.services.history_nav import unique_links
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.main import MainScreen
from crmtui.ui.screens.pick import PickScreen

from ..ui.helpers import until

PROFILE = "demo-sharpspring"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=200)
    yield demo
    demo.close()


async def test_f_with_several_references_asks_which_and_follows_the_chosen(demo: Demo) -> None:
    app = app_for_config(demo.config, PROFILE, memory_prefs(), dict(demo.transports))
    app.entity = "opportunity"
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        assert isinstance(main, MainScreen)
        await until(pilot, lambda: main.entity is not None and main.finder.from_mirror())
        rows = main.records
        await until(pilot, lambda: rows.current is not None and main.shown is rows.current)
        opportunity = main.shown
        assert opportunity is not None
        found = unique_links(opportunity, main.fields)
        assert len(found) >= 2, found
        wanted = next(i for i, link in enumerate(found) if link.entity == "account")

        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, PickScreen))
        chooser = app.screen
        assert isinstance(chooser, PickScreen)
        assert len(chooser.options) == len(found)
        assert "(Accounts)" in chooser.options[wanted]
        await pilot.press(str(wanted + 1))
        await until(pilot, lambda: main.shown is not None and main.shown.entity == "account")
        assert main.shown is not None and main.shown.id == found[wanted].record_id

        await pilot.press("alt+left")
        await until(pilot, lambda: main.shown is not None and main.shown.id == opportunity.id)

        await pilot.press("f")  # escape in the chooser follows nothing
        await until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is main)
        assert main.shown is not None and main.shown.id == opportunity.id


async def test_f_with_one_reference_follows_it_at_once(demo: Demo) -> None:
    app = app_for_config(demo.config, "demo-cmdatamanager", memory_prefs(), dict(demo.transports))
    app.entity = "task"
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        assert isinstance(main, MainScreen)
        await until(pilot, lambda: main.entity is not None and main.entity.name == "task")
        # the list is reloaded from the local copy once it is complete: move after that
        await until(pilot, lambda: main.finder.from_mirror())
        await until(pilot, lambda: main.records.end is not None)  # ten tasks: one page
        rows = [main.records.record_at(i) for i in range(main.records.row_count)]
        row = next(i for i, r in enumerate(rows) if r is not None and r.values.get("RelatedEntity"))
        task = rows[row]
        assert task is not None
        await pilot.press(*["down"] * row)
        await until(pilot, lambda: main.shown is task)
        await pilot.press("f")  # the task's parent: its only reference, followed without asking
        parent = str(task.values["RelatedEntity"])
        await until(pilot, lambda: main.shown is not None and main.shown.entity == parent)
        assert main.shown is not None and main.shown.id == task.values["RelatedExternalID"]
        assert not isinstance(app.screen, PickScreen)
