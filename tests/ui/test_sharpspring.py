"""SharpSpring on the demo: edit a lead's status and a custom field; the Watch screen shows a new
lead created in the store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from crmtui.sandbox.sharpspring.schema import NS
from crmtui.services.demo import Demo, open_demo
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.screens.watch import WatchScreen
from crmtui.ui.widgets.choice_editors import ChoiceEditor

PROFILE = "demo-sharpspring"
SIZE = (120, 40)
COLOR = "Favorite_Color_5a0dd86e6e290"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=200)
    yield demo
    demo.close()


def make(demo: Demo) -> CrmApp:
    return app_for_config(
        demo.config, PROFILE, memory_prefs(), dict(demo.transports), entity="lead"
    )


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_edit_a_leads_status_and_a_custom_field(demo: Demo) -> None:
    app = make(demo)
    store = demo.stores[PROFILE]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EditScreen) and screen.record is not None
        record_id = screen.record.id
        before = store.get(NS, "lead", record_id)
        assert before is not None
        new_status = "contactWithOpp" if before["leadStatus"] != "contactWithOpp" else "open"
        status = screen.form_field("leadStatus")
        assert status is not None and isinstance(status.editor, ChoiceEditor)
        status.editor.set_value(new_status)
        color = screen.form_field(COLOR)
        assert color is not None and isinstance(color.editor, Input)
        color.editor.focus()
        color.editor.value = ""
        await pilot.press(*"Ultramarine [/b]")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        current: object = app.screen
        assert not isinstance(current, EditScreen | ConfirmScreen)
    after = store.get(NS, "lead", record_id)
    assert after is not None
    assert after["leadStatus"] == new_status and after[COLOR] == "Ultramarine [/b]"
    changed = {k for k in after if after.get(k) != before.get(k)}
    assert changed == {"leadStatus", COLOR, "updateTimestamp"}


async def test_the_watch_screen_shows_a_lead_created_in_the_store(demo: Demo) -> None:
    app = make(demo)
    store = demo.stores[PROFILE]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = app.session
        assert session is not None
        entity = await session.backend.entity("lead")
        screen = WatchScreen(session, entity, interval=0.2)
        await app.push_screen(screen)
        await pilot.pause(0.5)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        data = {"id": "777000003", "firstName": "Vera", "lastName": "Live", "active": "1",
                "emailAddress": "vera@example.test", "_email": "vera@example.test",
                "createTimestamp": now, "updateTimestamp": now}  # fmt: skip
        store.insert(NS, "lead", data, record_id="777000003")
        table = screen.query_one(DataTable)
        for _ in range(40):
            await pilot.pause(0.1)
            if table.row_count:
                break
        assert table.row_count == 1
        row = [str(getattr(c, "plain", c)) for c in table.get_row_at(0)]
        assert row[1:] == ["new", "777000003", "Vera Live", "vera@example.test"]
        screen.workers.cancel_all()
