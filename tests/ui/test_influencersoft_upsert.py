"""Upsert an InfluencerSoft lead with tags and a list through UpsertScreen on the demo; history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, SelectionList

from crmtui.sandbox.influencersoft.app import GROUPS, NS
from crmtui.services.demo import Demo, open_demo
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.screens.sent import SentScreen
from crmtui.ui.screens.upsert import UpsertScreen

from .helpers import screen_text, settle

PROFILE = "demo-influencersoft"
SIZE = (120, 40)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=100)
    yield demo
    demo.close()


def make(demo: Demo) -> CrmApp:
    return app_for_config(
        demo.config, PROFILE, memory_prefs(), dict(demo.transports), entity="lead"
    )


def current(app: CrmApp) -> Any:
    """The active screen, unnarrowed (it changes under the test)."""
    return app.screen


async def type_into(pilot: Pilot[Any], screen: UpsertScreen, name: str, text: str) -> None:
    form_field = screen.form_field(name)
    assert form_field is not None
    editor = form_field.editor
    assert isinstance(editor, Input)
    editor.focus()
    await pilot.press(*text)
    await pilot.pause()


async def test_upsert_a_lead_with_tags_and_a_list_then_see_it_in_the_history(
    demo: Demo,
) -> None:
    store = demo.stores[PROFILE]
    app = make(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session is not None
        await app.push_screen(UpsertScreen(app.session))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UpsertScreen)
        picker = screen.picker("add_to_lists")
        assert picker.option_count == len(GROUPS)  # loaded from GetAllGroups

        await type_into(pilot, screen, "lead_email", "bad-email")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        email_field = screen.form_field("lead_email")
        assert email_field is not None and "not an email address" in (email_field.error or "")
        assert current(app) is email_field.screen  # refused before any request

        email_field.editor.focus()
        assert isinstance(email_field.editor, Input)
        email_field.editor.value = ""
        await type_into(pilot, screen, "lead_email", "Ivy.Sent@example.org")
        await type_into(pilot, screen, "lead_first_name", "Ivy")
        await type_into(pilot, screen, "lead_telegram", "@ivy")
        await type_into(pilot, screen, "add_tags", "vip, webinar")
        picker.select(GROUPS[1][1])
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert isinstance(current(app), ConfirmScreen)  # demo profiles are confirm-writes
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(current(app), UpsertScreen | ConfirmScreen)

        lead = store.get(NS, "lead", "ivy.sent@example.org")
        assert lead is not None
        assert lead["lead_first_name"] == "Ivy" and lead["lead_telegram"] == "@ivy"
        assert lead["tags"] == ["vip", "webinar"]
        assert lead["lists"] == [GROUPS[1][0]]

        await app.push_screen(SentScreen(app.session))
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        text = screen_text(app)
        assert "Ivy.Sent@example.org" in text and "OK" in text
        assert "lead_first_name=Ivy" in text
        sent_screen = app.screen
        assert isinstance(sent_screen, SentScreen)
        entry = sent_screen.entries()[0]
        assert entry.sent["add_tags"] == "vip,webinar"
        assert entry.sent["add_to_lists"] == GROUPS[1][0]


async def test_a_vendor_refusal_keeps_the_form_and_names_the_field(demo: Demo) -> None:
    app = make(demo)
    app_state = demo.apps[PROFILE].state
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session is not None
        app.session.profile.mode = "write"
        await app.push_screen(UpsertScreen(app.session))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UpsertScreen)
        await type_into(pilot, screen, "lead_email", "dup@example.org")
        app_state.forced.append(600)  # the vendor calls the email wrong
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(current(app), UpsertScreen)
        email_field = screen.form_field("lead_email")
        assert email_field is not None and "code 600" in (email_field.error or "")
        assert "InfluencerSoft refused the lead" in screen_text(app)
        assert isinstance(screen.picker("remove_from_lists"), SelectionList)


async def test_keys_typed_in_one_burst_reach_the_form_before_send(demo: Demo) -> None:
    # A paste or a fast typist: the email's characters and ctrl+s arrive together. The send
    # must see every character typed before it, not an empty field ("is required").
    from textual import events

    app = make(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session is not None
        await app.push_screen(UpsertScreen(app.session))
        await settle(pilot)
        screen = current(app)
        assert isinstance(screen, UpsertScreen)
        email = screen.form_field("lead_email")
        assert email is not None
        email.editor.focus()
        await pilot.pause()
        for char in "burst@example.org":
            app.post_message(events.Key(char, char))
        app.post_message(events.Key("ctrl+s", None))
        await settle(pilot)
        assert isinstance(current(app), ConfirmScreen), screen_text(app)
        assert "burst@example.org" in screen_text(app)
