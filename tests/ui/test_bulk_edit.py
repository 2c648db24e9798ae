"""Bulk edit of marked records on the demo sandbox: marks, the form, the run, the result files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList

from crmtui.model import FieldType
from crmtui.profiles import locations
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.services.bulk import read_rows
from crmtui.services.demo import Demo, open_demo
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.bulk_edit import BulkEditScreen
from crmtui.ui.screens.dialogs import ConfirmScreen

from .helpers import notified, record_list, screen_text

PROFILE = "demo-cmdatamanager"
SIZE = (120, 40)


@pytest.fixture
def demo() -> Iterator[Demo]:
    demo = open_demo(data_dir=locations.data_dir(), reset=True, records=60)
    yield demo
    demo.close()


def make(demo: Demo, mode: str | None = None) -> CrmApp:
    config = demo.config
    if mode is not None:
        profile = config.profiles[PROFILE].model_copy(update={"mode": mode})
        config = config.model_copy(update={"profiles": {**config.profiles, PROFILE: profile}})
    return app_for_config(config, PROFILE, memory_prefs(), dict(demo.transports), entity="lead")


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def text_field(screen: BulkEditScreen) -> str:
    """An optional plain-text field the form edits with an Input."""
    for spec in screen.fields:
        if spec.type is FieldType.TEXT or spec.required or spec.choices:
            continue
        if spec.type in (FieldType.EMAIL, FieldType.PHONE, FieldType.URL):
            continue
        if spec.type is FieldType.REFERENCE or spec.type is FieldType.BOOLEAN:
            continue
        if "title" in spec.name.lower() or "company" in spec.name.lower():
            return spec.name
    raise AssertionError("no plain text field on the sandbox's leads")


async def fill(pilot: Pilot[Any], screen: BulkEditScreen, name: str, text: str) -> None:
    screen.query_one(SelectionList).select(name)
    await pilot.pause()
    form_field = screen.form_field(name)
    assert form_field is not None and form_field.display
    editor = form_field.editor
    assert isinstance(editor, Input)
    editor.focus()
    editor.value = text
    await pilot.pause()


async def test_marks_show_a_column_and_a_count_and_clear(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        records = record_list(app)
        first = records.current
        assert first is not None
        assert "●" not in screen_text(app) and "marked" not in screen_text(app)
        await pilot.press("space", "space", "up", "space")  # the second one unmarked again
        await settle(pilot, 1)
        assert records.marks == {first.id}
        shown = screen_text(app)
        assert shown.count("●") == 1 and "1 marked" in shown
        label = records.columns[0].label
        assert records.render_line(0).text.startswith(f"  {label}")  # over its column still
        await pilot.press("u")
        await settle(pilot, 1)
        assert not records.marks and "●" not in screen_text(app)
        assert records.render_line(0).text.startswith(label)
        await pilot.press("B")
        await settle(pilot, 1)
        assert not isinstance(app.screen, BulkEditScreen)
        assert "Mark records first" in notified(app)


async def test_bulk_edit_sets_a_field_on_every_marked_record_and_the_error_file_reapplies(
    demo: Demo, tmp_path: Path
) -> None:
    store = demo.stores[PROFILE]
    app = make(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        records = record_list(app)
        await pilot.press("space", "space", "space")
        await settle(pilot, 1)
        ids = sorted(records.marks)
        assert len(ids) == 3
        gone = ids[1]
        saved = store.get(CMD_NS, "lead", gone)
        assert saved is not None
        store.delete(CMD_NS, "lead", gone)  # deleted elsewhere: that row must fail on its own

        await pilot.press("B")
        await settle(pilot, 1)
        screen = app.screen
        assert isinstance(screen, BulkEditScreen)
        screen.directory = tmp_path
        name = text_field(screen)
        await fill(pilot, screen, name, "Bulk Buyer")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "Set 1 field on 3 " in confirm.title_text
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, BulkEditScreen | ConfirmScreen)

        for rid in (ids[0], ids[2]):
            row = store.get(CMD_NS, "lead", rid)
            assert row is not None and row[name] == "Bulk Buyer"
            shown = records.rows.get(records.rows.find(rid) or 0)
            assert shown is not None and shown.values[name] == "Bulk Buyer"  # updated in place
        assert records.marks == {gone}  # only the failed one stays marked
        message = notified(app)
        assert "2 updated, 0 unchanged, 1 failed" in message and str(tmp_path) in message

    errors = next(tmp_path.glob("*.errors.csv"))
    success = next(tmp_path.glob("*.success.csv"))
    assert {r["id"] for r in read_rows(success)} == {ids[0], ids[2]}
    failed = read_rows(errors)
    assert [r["id"] for r in failed] == [gone] and failed[0][name] == "Bulk Buyer"
    assert "not found" in failed[0]["error"].lower()

    # The record comes back; the error file is applied as it is, by the command line.
    store.insert(CMD_NS, "lead", saved, record_id=gone)
    run = subprocess.run(
        [sys.executable, "-m", "crmtui", "--demo", "-p", PROFILE, "bulk", "update", "lead",
         str(errors), "-y"],
        capture_output=True, text=True, timeout=60, env=dict(os.environ),
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "1 updated, 0 unchanged, 0 failed" in run.stderr
    row = store.get(CMD_NS, "lead", gone)
    assert row is not None and row[name] == "Bulk Buyer"
    assert read_rows(errors) == []


async def test_read_only_refuses_and_write_mode_does_not_ask(demo: Demo, tmp_path: Path) -> None:
    app = make(demo, "read-only")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "B")
        await settle(pilot, 1)
        assert not isinstance(app.screen, BulkEditScreen)
        assert "read-only" in notified(app)

    app = make(demo, "write")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        records = record_list(app)
        await pilot.press("space", "B")
        await settle(pilot, 1)
        screen = app.screen
        assert isinstance(screen, BulkEditScreen)
        screen.directory = tmp_path
        await pilot.press("ctrl+s")  # nothing ticked
        await settle(pilot, 1)
        bulk: BulkEditScreen = screen
        assert app.screen is bulk and "Tick at least one field" in screen_text(app)
        name = text_field(bulk)
        await fill(pilot, bulk, name, "")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert app.screen is bulk and "a value is needed" in screen_text(app)
        await fill(pilot, bulk, name, "Direct")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BulkEditScreen | ConfirmScreen)
        (rid,) = [r["id"] for r in read_rows(next(tmp_path.glob("*.success.csv")))]
        row = demo.stores[PROFILE].get(CMD_NS, "lead", rid)
        assert row is not None and row[name] == "Direct" and not records.marks
