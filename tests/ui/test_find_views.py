"""Saved views reopened after a restart, and the export of a filtered view."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from crmtui.services.views import Views
from tests.fakes import FakeBackend

from .conftest import AppFactory
from .helpers import main_screen, notified, record_list, screen_text, settle


async def test_a_saved_view_reopens_after_a_restart(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("right", "s", "s")  # sort by last name, descending
        await settle(pilot)
        await pilot.press("slash", *"email~person12", "enter")
        await settle(pilot)
        await pilot.press("ctrl+p", *"Save view as", "enter")
        await settle(pilot)
        await pilot.press(*"Twelves", "enter")
        await settle(pilot)
    saved = Views().get("test", "twelves")
    assert saved.filter == "email~person12" and saved.sort == "last_name:desc"
    assert Views().path.stat().st_mode & 0o777 == 0o600

    again = app_factory()
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "★ Twelves" in screen_text(again)  # in the entity pane
        await pilot.press("ctrl+p", *"Open view: Twelves", "enter")
        await settle(pilot, rounds=6)
        rows = record_list(again)
        assert rows.list_query.sort is not None and rows.list_query.sort.descending
        assert main_screen(again).search_bar.value == "email~person12"
        assert rows.current is not None and "person12" in rows.current.values["email"]
        assert "match 1 of " in screen_text(again)


async def test_export_of_a_filtered_view_holds_exactly_its_matches(
    app_factory: AppFactory, backend: FakeBackend, tmp_path: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"email~person77 status=won", "enter")
        await settle(pilot)
        target = tmp_path / "won.csv"
        await pilot.press("ctrl+p", *"Export view to CSV", "enter")
        await settle(pilot)
        await pilot.press("ctrl+u", *str(target), "enter")  # the path asked for
        await settle(pilot)
        assert "Exported" in notified(app), (
            notified(app),
            app.screen_stack,
            screen_text(app)[-400:],
        )
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = [
        r.id
        for r in backend.data["lead"]
        if "person77" in str(r.values["email"]) and r.values["status"] == "won"
    ]
    assert [r["id"] for r in rows] == expected and expected
    assert list(rows[0]) == ["id", "first_name", "last_name", "email", "phone", "status", "created"]
    assert os.path.getsize(target) > 0
