"""SharpSpring in the TUI as the real vendor behaves: `g` to an unknown lead, a lead's activity."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from crmtui.services.demo import Demo, open_demo
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.screens.jump import JumpScreen
from crmtui.ui.screens.watch import WatchScreen
from crmtui.ui.widgets.detail import DetailPane
from crmtui.ui.widgets.related import RelatedPanel

PROFILE = "demo-sharpspring"
SIZE = (120, 40)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=200)
    yield demo
    demo.close()


def make(demo: Demo, entity: str = "lead") -> CrmApp:
    return app_for_config(
        demo.config, PROFILE, memory_prefs(), dict(demo.transports), entity=entity
    )


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_g_to_an_unknown_lead_says_not_found(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = app.screen.query_one(DetailPane).record
        await pilot.press("g")
        await settle(pilot, 1)
        assert isinstance(app.screen, JumpScreen)
        await pilot.press(*"99999999999", "enter")
        await settle(pilot)
        said = [f"{n.title} {n.message}" for n in app._notifications]
        assert any("not found" in text.lower() for text in said), said
        assert app.screen.query_one(DetailPane).record is shown  # no ghost in the detail pane


async def test_the_detail_pane_shows_a_leads_activity_and_lists(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(DetailPane)
        record = pane.record
        assert record is not None
        session = app.session
        assert session is not None
        await session.backend.run_action("lead", record.id, "add_to_list", {"listID": "Customers"})
        panel = app.screen.query_one(RelatedPanel)
        for _ in range(40):  # the first lead's related records, once the cursor rests on it
            await pilot.pause(0.1)
            if panel.display and not panel.has_class("-loading"):
                break
        height = panel.size.height
        await pilot.press("down", "up")  # off the lead and back: its related records reload
        await pilot.pause()
        # meanwhile the panel keeps its place: the detail above it does not jump
        assert panel.display and panel.has_class("-loading") and panel.size.height == height
        for _ in range(40):  # it loads once the cursor rests on the record
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            if panel.display and not panel.has_class("-loading"):
                break
        text = str(panel.render())
        assert panel.display and "Lists: Customers" in text, text
        assert "Recent activity" in text


async def test_the_watch_screen_shows_email_opens_page_visits_and_form_fills(demo: Demo) -> None:
    app = make(demo, "event")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = app.session
        assert session is not None
        entity = await session.backend.entity("event")
        screen = WatchScreen(session, entity, interval=0.2)
        await app.push_screen(screen)
        await pilot.pause(0.5)
        store = demo.stores[PROFILE]
        state = store.get("sharpspring", "eventClock", "1")
        assert state is not None
        store.update("sharpspring", "eventClock", "1", {"at": float(state["at"]) - 120})
        table = screen.query_one(DataTable)
        for _ in range(40):
            await pilot.pause(0.1)
            if table.row_count:
                break
        assert table.row_count >= 1
        row = [str(getattr(c, "plain", c)) for c in table.get_row_at(0)]
        assert row[1] == "new" and row[3].startswith("Lead ")
        assert any(kind in row[4] for kind in ("emailOpened", "pageVisit", "formSubmit")), row
        status = str(screen.query_one("#watch-status", Static).render())
        assert "Watching Events" in status
        screen.workers.cancel_all()


async def test_the_edit_form_shows_web_ui_values_decoded_and_saves_them_raw(demo: Demo) -> None:
    store = demo.stores[PROFILE]
    stored = store.get("sharpspring", "lead", "321000040")
    assert stored is not None and stored["companyName"] == "Procter &amp; Gamble"
    app = make(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*stored["emailAddress"], "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EditScreen) and screen.record is not None
        assert screen.record.id == "321000040"
        company = screen.form_field("companyName")
        assert company is not None and isinstance(company.editor, Input)
        assert company.editor.value == "Procter & Gamble"
        title = screen.form_field("title")
        assert title is not None and isinstance(title.editor, Input)
        title.editor.focus()
        title.editor.value = ""
        await pilot.press(*'A & B <c> "d"')
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
    after = store.get("sharpspring", "lead", "321000040")
    assert after is not None
    assert after["title"] == 'A & B <c> "d"'  # as typed, not encoded
    assert after["companyName"] == "Procter &amp; Gamble"  # untouched: not sent back decoded


async def test_the_palette_offers_watch_emails_pages_and_forms(demo: Demo) -> None:
    from crmtui.ui.screens.main import MainScreen
    from crmtui.ui.vendor_views import views

    app = make(demo, "event")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        offered = {name: action for name, action, _ in views(main)}
        for kind in ("Email opened", "Page visited", "Form filled out"):
            assert f"Watch Events: {kind}" in offered
        offered["Watch Events: Form filled out"]()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WatchScreen)
        assert [(f.field, f.value) for f in screen.watcher.filters] == [
            ("eventSource", "formSubmit")
        ]
        screen.workers.cancel_all()
