"""Edit, create and delete on the demo sandbox through the app's keys, and find it in the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from crmtui.model import FieldType
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.sandbox.store import Store
from crmtui.services.demo import Demo, open_demo
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.dialogs import ConfirmScreen, DeleteScreen
from crmtui.ui.screens.edit import EditScreen

PROFILE = "demo-cmdatamanager"
SIZE = (120, 40)


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


async def type_into(pilot: Pilot[Any], screen: EditScreen, name: str, text: str) -> None:
    form_field = screen.form_field(name)
    assert form_field is not None
    editor = form_field.editor
    assert isinstance(editor, Input)
    editor.focus()
    editor.value = ""
    await pilot.press(*text)
    await pilot.pause()


def store(demo: Demo) -> Store:
    return demo.stores[PROFILE]


async def test_edit_a_lead_on_the_sandbox_with_a_validation_error_first(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EditScreen) and screen.record is not None
        record_id = screen.record.id
        email = next(f.spec.name for f in screen.form_fields() if f.spec.type is FieldType.EMAIL)
        before = store(demo).get(CMD_NS, "lead", record_id)
        assert before is not None

        await type_into(pilot, screen, email, "nobody-at-example")
        field = screen.form_field(email)
        assert field is not None and "not an email address" in (field.error or "")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert screen.is_current  # refused before any request

        await type_into(pilot, screen, email, "new.owner@example.org")
        assert field.error is None
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, EditScreen | ConfirmScreen)

        after = store(demo).get(CMD_NS, "lead", record_id)
        assert after is not None and after[email] == "new.owner@example.org"
        # Only the edited field changed (the sandbox may stamp its own modification time).
        changed = {k for k in after if after.get(k) != before.get(k)}
        assert changed - {"ModifiedDate"} == {email}


async def test_create_then_delete_by_typing_the_id_on_the_sandbox(demo: Demo) -> None:
    app = make(demo)
    count = store(demo).count(CMD_NS, "lead")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EditScreen) and screen.creating
        required = [f for f in screen.form_fields() if f.spec.required]
        assert required, "the sandbox's leads have required fields"
        for form_field in required:
            await type_into(pilot, screen, form_field.spec.name, "Zed")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert store(demo).count(CMD_NS, "lead") == count + 1

        main = app.main_screen
        assert main is not None
        record = main.records.current
        assert record is not None
        await pilot.press("d")
        await settle(pilot, 1)
        assert isinstance(app.screen, DeleteScreen)
        await pilot.press(*"wrong", "enter")
        await settle(pilot, 1)
        assert isinstance(app.screen, DeleteScreen)
        assert store(demo).get(CMD_NS, "lead", record.id) is not None
        app.screen.query_one("#delete-input", Input).value = ""
        await pilot.press(*record.id, "enter")
        await settle(pilot)
        assert store(demo).get(CMD_NS, "lead", record.id) is None
