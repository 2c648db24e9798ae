"""Following a lead's account from its detail, then back (and forward), driven by Pilot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crmtui.services.demo import Demo, open_demo
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.main import MainScreen

from ..ui.helpers import until

PROFILE = "demo-cmdatamanager"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=200)
    yield demo
    demo.close()


async def test_follow_the_account_and_come_back_to_the_same_lead_and_row(demo: Demo) -> None:
    app = app_for_config(demo.config, PROFILE, memory_prefs(), dict(demo.transports), entity="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: bool(app.screen.query("DetailPane RelatedPanel")))
        screen = app.screen
        assert isinstance(screen, MainScreen)
        rows = screen.records
        # the list is reloaded from the local copy once it is complete: move after that
        await until(pilot, lambda: screen.finder.from_mirror())
        await until(pilot, lambda: rows.row_count > 30 and rows.record_at(29) is not None)
        loaded = [(i, rows.record_at(i)) for i in range(1, min(rows.row_count, 30))]
        row = next(i for i, r in loaded if r is not None and r.values.get("ConvertedAccount"))
        await pilot.press(*["down"] * row)
        await until(pilot, lambda: screen.shown is rows.record_at(row))
        lead = screen.shown
        assert lead is not None and rows.cursor == row
        account_id = str(lead.values["ConvertedAccount"])

        await pilot.press("f")
        await until(pilot, lambda: screen.shown is not None and screen.shown.entity == "account")
        assert screen.shown is not None
        assert (screen.shown.entity, screen.shown.id) == ("account", account_id)

        await pilot.press("alt+left")  # [ is the list's move-column key now (uiform)
        await until(pilot, lambda: screen.shown is not None and screen.shown.entity == "lead")
        assert screen.shown is not None and screen.shown.id == lead.id
        assert rows.cursor == row

        await pilot.press("alt+right")
        await until(pilot, lambda: screen.shown is not None and screen.shown.entity == "account")
        assert screen.shown is not None and screen.shown.id == account_id
        await pilot.press("alt+left")
        await until(pilot, lambda: screen.shown is not None and screen.shown.entity == "lead")
        assert screen.shown is not None and screen.shown.id == lead.id and rows.cursor == row
