"""Find in the list through a user's keys: scan, several conditions, n/N, esc, the mirror."""

from __future__ import annotations

from typing import Any

import pytest

from crmtui.services.mirror_sync import mirror_for
from tests.fakes import FakeBackend, FakeProfile

from .conftest import AppFactory
from .helpers import main_screen, notified, record_list, screen_text, settle


class MirrorProfile(FakeProfile):
    """A profile that keeps a mirror."""

    mirror: bool = True


async def test_several_conditions_then_n_and_shift_n(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *'"Last name"~00077 status=won', "enter")
        await settle(pilot)
        rows = record_list(app)
        # Last000770..Last000779 and Last000077: those whose number % 3 == 2 are Won
        expected = [i for i in [77, *range(770, 780)] if i % 3 == 2]
        assert rows.current is not None and rows.current.id == str(expected[0])
        assert f"row {expected[0]:,} of 10,000 · match 1 of {len(expected)}" in screen_text(app)
        assert f"Leads: First{expected[0]} " in screen_text(app)  # the detail shows it
        await pilot.press("n")
        await settle(pilot)
        assert rows.current is not None and rows.current.id == str(expected[1])
        assert f"match 2 of {len(expected)}" in screen_text(app)
        await pilot.press("N", "N")  # back to the first, then round to the last
        await settle(pilot)
        assert rows.current is not None and rows.current.id == str(expected[-1])


async def test_unknown_field_names_the_nearest(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"emial=x@y.z", "enter")
        await settle(pilot)
        assert "did you mean Email?" in notified(app)


async def test_esc_on_the_list_clears_the_filter_and_the_bar(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"First12", "enter")
        await settle(pilot)
        assert "First12" in main_screen(app).search_bar.value
        assert main_screen(app).focused is record_list(app)
        await pilot.press("escape")
        await settle(pilot)
        screen = main_screen(app)
        assert screen.search_bar.value == "" and not screen.search_bar.has_class("-open")
        assert not screen.finder.active and "match" not in screen_text(app)
        await pilot.press("n")  # no filter: n is New again
        await settle(pilot)
        assert app.screen is not screen


async def test_a_burst_after_slash_lands_in_the_bar(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(*"/email=person5@example.com", "enter")
        await settle(pilot)
        rows = record_list(app)
        assert rows.current is not None and rows.current.id == "5"


async def test_a_scan_can_be_cancelled(app_factory: AppFactory, backend: FakeBackend) -> None:
    # pages slow enough that the scan is still on its way when looked at (at 0.05 s a page it
    # sometimes read all 100 before a busy test machine looked)
    backend.delay = 0.2
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"email~person9999@", "enter")
        for _ in range(50):
            await pilot.pause(0.05)
            if "scanning" in screen_text(app):
                break
        assert "scanning" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not main_screen(app).finder.active and "scanning" not in screen_text(app)
        calls = len(backend.calls)
        await pilot.pause(0.3)
        assert len(backend.calls) == calls  # nothing more is read


@pytest.fixture
def once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The background sync runs once (tests wait for every worker)."""
    monkeypatch.setattr("crmtui.ui.find_sync.REFRESH_EVERY", 0.0)


async def test_mirror_answers_and_the_edit_reads_the_live_record(
    app_factory: AppFactory, backend: FakeBackend, once: Any
) -> None:
    app = app_factory(profile=MirrorProfile())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, rounds=6)
        assert "local copy, synced just now" in screen_text(app)
        session = app.test_sessions["test"]  # type: ignore[attr-defined]
        mirror = mirror_for(session)
        assert mirror is not None and mirror.ready("lead")
        # another client changes lead 8765 behind the copy's back
        live = backend.data["lead"][8764]
        backend.data["lead"][8764] = type(live)("lead", "8765", {**live.values, "notes": "theirs"})
        await pilot.press("slash", *"person8765@example.com", "enter")
        await settle(pilot)
        rows = record_list(app)
        assert rows.current is not None and rows.current.id == "8765"
        assert "row 8,765 of 10,000 · match 1 of 1" in screen_text(app)
        calls = len(backend.calls)
        assert calls == len(backend.calls)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert getattr(form, "record", None) is not None
        assert form.record.values["notes"] == "theirs"  # type: ignore[attr-defined]
