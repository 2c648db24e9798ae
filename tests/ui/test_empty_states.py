"""Empty and failed panes say why and what to do; the Outbox asks before discarding; wording."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crmtui.errors import CrmError
from crmtui.model import Change
from crmtui.sandbox.store import Store
from crmtui.services import edits
from crmtui.services.demo import Demo, open_demo
from crmtui.services.session import Session
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.screens.jobs import JobsScreen
from crmtui.ui.screens.jump import JumpScreen
from crmtui.ui.screens.outbox import OutboxScreen
from crmtui.ui.screens.watch import WatchScreen
from crmtui.ui.text import plural

from .helpers import main_screen, record_list, screen_text, settle
from .test_outbox_screen import Host, make_conflict, session, store

__all__ = ["session", "store"]  # fixtures shared with the Outbox tests


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    """The demo's emulators, 100 records each."""
    demo = open_demo(data_dir=tmp_path, reset=True, records=100)
    yield demo
    demo.close()


def make(demo: Demo, vendor: str = "cmdatamanager") -> CrmApp:
    return app_for_config(demo.config, f"demo-{vendor}", memory_prefs(), dict(demo.transports))


async def test_a_lead_list_the_vendor_cannot_read_says_why_in_the_pane(demo: Demo) -> None:
    app = make(demo, "influencersoft")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.clear_notifications()
        await pilot.pause()
        text = screen_text(app)
        assert "No Leads to show here" in text
        assert "add or update a lead by email" in text
        assert "Nothing has been sent through this profile yet" in text


async def test_a_search_with_no_match_says_so(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"nobody-at-all@nowhere.invalid", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert 'No Leads match "nobody-at-all@nowhere.invalid".' in text
        assert "Esc clears the search" in text
        first = record_list(app).record_at(0)
        assert first is not None and str(first.values["LastName"]) not in text  # rows set aside
        await pilot.press("escape")
        await settle(pilot)
        text = screen_text(app)
        assert "No Leads match" not in text and str(first.values["LastName"]) in text


async def test_async_jobs_without_a_job_say_what_makes_one(demo: Demo) -> None:
    app = make(demo, "leadsquared")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(JobsScreen(main_screen(app).session))
        await pilot.pause(0.3)  # its poller runs until the screen closes: no settle()
        assert "No async jobs yet for this profile" in screen_text(app)


async def test_watch_before_any_change_says_it_is_watching(demo: Demo) -> None:
    app = make(demo, "sharpspring")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause(0.3)
        assert isinstance(app.screen, WatchScreen)
        text = screen_text(app)
        assert "No Leads created or changed since" in text
        assert "0 changes" in text


async def test_the_outbox_asks_before_discarding(session: Session, store: Store) -> None:
    await make_conflict(session, store)
    app = Host(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OutboxScreen) and len(app.screen.entries) == 1


async def test_the_row_shows_the_vendor_value_after_a_save_refused_by_a_conflict(
    demo: Demo,
) -> None:
    app = make(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        main = main_screen(app)
        lead = record_list(app).current
        assert lead is not None
        name = next(k for k in lead.values if k.lower() == "firstname")
        store = demo.stores["demo-cmdatamanager"]
        namespace = "cmdatamanager"
        values = store.get(namespace, "lead", lead.id)
        assert values is not None
        store.update(namespace, "lead", lead.id, {name: "Theirsname"})
        with pytest.raises(CrmError):
            await edits.save_changes(
                main.session, "lead", lead.id, [Change(name, lead.values[name], "Minename")]
            )
        main._saved(lead, None)  # the form closed without a save
        await settle(pilot)
        assert "Theirsname" in screen_text(app).split("\n")[2]


def test_wording() -> None:
    assert plural(0, "match", "matches") == "0 matches"
    assert plural(1, "change") == "1 change"
    assert plural(2, "change") == "2 changes"
    assert "Jump to a" not in JumpScreen("Leads").entity_label + " x"


async def test_jump_asks_for_an_id_in_plain_words(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        text = screen_text(app)
        assert "Leads: go to the record with id" in text and "a Leads" not in text


async def test_an_email_looked_up_shows_what_the_vendor_holds_and_what_was_sent(
    demo: Demo,
) -> None:
    store = demo.stores["demo-influencersoft"]
    email = store.list("influencersoft", "lead", offset=0, limit=1)[0][0]
    app = make(demo, "influencersoft")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", *email, "enter")
        await settle(pilot)
        app.clear_notifications()
        await pilot.pause()
        text = screen_text(app)
        assert "Groups" in text or "groups" in text, text
        assert f"Nothing has been sent for {email}" in text, text


async def test_a_search_that_matches_after_one_that_did_not_shows_the_rows(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        second = record_list(app).record_at(1)
        assert second is not None
        await pilot.press("slash", *"nobody-at-all@nowhere.invalid", "enter")
        await settle(pilot)
        assert "No Leads match" in screen_text(app)
        await pilot.press("slash", "ctrl+u", *str(second.values["Email"]), "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "No Leads match" not in text and str(second.values["LastName"]) in text
