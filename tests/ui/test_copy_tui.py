"""Copy a lead from CMDataManager to SharpSpring in the TUI, on the demo, at 80x24: the preview
lists the unmapped fields, the first copy creates, the second updates (no duplicate)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot

from crmtui.model import Change
from crmtui.profiles.loader import get_profile
from crmtui.services.copy import find_by_email
from crmtui.services.demo import Demo, open_demo
from crmtui.services.session import open_session
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.actions import COPY, ActionsScreen
from crmtui.ui.screens.copy_record import CopyPreviewScreen
from crmtui.ui.screens.main import MainScreen
from crmtui.ui.screens.pick import PickScreen

from .helpers import notified, until

SOURCE, TARGET = "demo-cmdatamanager", "demo-sharpspring"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=200)
    yield demo
    demo.close()


def shown(renderable: Any) -> str:
    """A renderable as the plain text a user reads."""
    console = Console(width=76, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


async def pick_target(pilot: Pilot[Any], app: CrmApp) -> CopyPreviewScreen:
    """In the profile chooser, press the target's number; returns the preview dialog."""
    await until(pilot, lambda: isinstance(app.screen, PickScreen))
    chooser = app.screen
    assert isinstance(chooser, PickScreen)
    await pilot.press(str(chooser.options.index(TARGET) + 1))
    await until(pilot, lambda: isinstance(app.screen, CopyPreviewScreen))
    dialog = app.screen
    assert isinstance(dialog, CopyPreviewScreen)
    return dialog


async def held_by_target(demo: Demo, email: str) -> dict[str, Any]:
    """The target's one record with `email` (several would fail: a duplicate)."""
    profile = get_profile(demo.config, TARGET)
    session = await open_session(profile, transport=demo.transports[TARGET])
    try:
        found = await find_by_email(session, "lead", email)
    finally:
        await session.aclose()
    assert found is not None
    return {"id": found.id, **found.values}


async def test_copy_previews_then_creates_and_a_second_copy_updates(demo: Demo) -> None:
    app = app_for_config(demo.config, SOURCE, memory_prefs(), dict(demo.transports))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        assert isinstance(main, MainScreen)
        await until(pilot, lambda: main.entity is not None and main.finder.from_mirror())
        rows = main.records
        await until(pilot, lambda: rows.current is not None and main.shown is rows.current)
        lead = main.shown
        assert lead is not None
        email = str(lead.values["Email"])

        # the record actions menu offers the copy
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ActionsScreen))
        actions = app.screen
        assert isinstance(actions, ActionsScreen)
        await pilot.press(str(actions.actions.index(COPY) + 1))
        dialog = await pick_target(pilot, app)
        text = shown(dialog.body)
        assert f"Create a new lead in {TARGET}" in text
        assert "Unmapped source fields, not sent" in text
        assert "Source" in text  # the lead source has no field meaning the same there
        assert email in text
        await pilot.press("y")
        await until(pilot, lambda: f"in {TARGET}" in notified(app))
        assert "Created lead" in notified(app)
        first = await held_by_target(demo, email)

        # changed at the source: the second copy (from the palette) updates the same record
        assert app.session is not None
        await app.session.backend.update(
            "lead", lead.id, [Change("City", lead.values["City"], "Bath")]
        )
        await pilot.press("ctrl+p", *"Copy to another CRM", "enter")
        dialog = await pick_target(pilot, app)
        text = shown(dialog.body)
        assert f"Update lead {first['id']} in {TARGET} (same email): 1 field(s)" in text, text
        assert "Changes sent:" in text and "-> Bath" in text  # only the changed field is sent
        await pilot.press("y")
        await until(pilot, lambda: "Updated lead" in notified(app))
        second = await held_by_target(demo, email)
        assert second["id"] == first["id"] and second["city"] == "Bath"


async def test_actions_and_copy_act_on_a_followed_record_as_its_own_entity(demo: Demo) -> None:
    app = app_for_config(demo.config, SOURCE, memory_prefs(), dict(demo.transports))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        assert isinstance(main, MainScreen)
        await until(pilot, lambda: main.entity is not None)
        rows = main.records
        # the list is reloaded from the local copy once it is complete: move after that
        await until(pilot, lambda: main.finder.from_mirror())
        await until(pilot, lambda: rows.row_count > 30 and rows.record_at(29) is not None)
        loaded = [(i, rows.record_at(i)) for i in range(30)]
        row = next(i for i, r in loaded if r is not None and r.values.get("ConvertedAccount"))
        await pilot.press(*["down"] * row)
        await until(pilot, lambda: main.shown is rows.record_at(row))
        await pilot.press("f")  # the lead's account, shown in the detail
        await until(pilot, lambda: main.shown is not None and main.shown.entity == "account")
        account = main.shown
        assert account is not None

        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ActionsScreen))
        actions = app.screen
        assert isinstance(actions, ActionsScreen)
        assert actions.entity.name == "account"
        assert all(a.name != "convert" for a in actions.actions)  # not the lead's actions
        await pilot.press(str(actions.actions.index(COPY) + 1))
        dialog = await pick_target(pilot, app)
        assert f"Create a new account in {TARGET}" in shown(dialog.body)
        await pilot.press("n")
        await until(pilot, lambda: app.screen is main)
