"""The main screen through a user's keys: search, columns, jump, edit in place, delete, panes."""

from __future__ import annotations

from pathlib import Path

from crmtui.model import Filter, Record
from crmtui.ui.prefs import Prefs, load_prefs
from crmtui.ui.screens.edit import EditScreen
from tests.fakes import FakeBackend, FakeProfile

from .conftest import AppFactory
from .helpers import main_screen, notified, record_list, screen_text, settle


async def test_search_without_server_search_scans_and_lands_on_the_first_match(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert "field=value" in screen_text(app)  # the language is said before typing
        await pilot.press(*"email~person77@", "enter")
        await settle(pilot)
        rows = record_list(app)
        assert rows.current is not None and rows.current.id == "77"  # the whole list stays
        assert "row 77 of 10,000 · match 1 of 1" in screen_text(app)
        assert {c[1].filters for c in backend.calls} == {()}  # nothing asked of the server
        await pilot.press("escape")  # the filter and the bar go together
        await settle(pilot)
        assert "match" not in screen_text(app) and "email~" not in screen_text(app)


async def test_search_on_the_server_where_the_entity_can(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        main_screen(app).open_entity("contact")
        await settle(pilot)
        await pilot.press("slash", *"person3@example.com", "enter")
        await settle(pilot)
        assert backend.calls[-1][0] == "contact"
        assert backend.calls[-1][1].filters == (Filter("email", "person3@example.com"),)
        rows = record_list(app)
        assert rows.row_count == 1 and rows.current is not None and rows.current.id == "c3"
        assert "row 1 of 1 · 1 match" in screen_text(app)


async def test_column_chooser_is_kept_per_profile_and_entity(
    app_factory: AppFactory, prefs: Prefs
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("down", "space")  # last name off
        await pilot.press(*["down"] * 5, "space")  # notes on
        await pilot.press("enter")
        await settle(pilot)
        names = [c.name for c in record_list(app).columns]
        assert names == ["first_name", "email", "phone", "status", "created", "notes"]
        header = record_list(app).render_line(0).text
        assert header.startswith("First name") and "Last name" not in header
    assert prefs.path is not None
    assert load_prefs(prefs.path.parent).columns("test", "lead") == names
    again = app_factory()
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert [c.name for c in record_list(again).columns] == names


async def test_jump_to_an_id_loaded_or_not(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"42", "enter")
        await settle(pilot)
        rows = record_list(app)
        assert rows.current is not None and rows.current.id == "42"
        await pilot.press("g", *"9000", "enter")
        await settle(pilot)
        assert "Leads: First9000 Last009000" in screen_text(app)
        await pilot.press("g", *"nope", "enter")
        await settle(pilot)
        assert "no lead nope" in notified(app)


async def test_enter_opens_the_record_and_a_save_updates_it_in_place(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        assert app.screen.record is not None and app.screen.record.id == "2"
        calls = len(backend.calls)
        old = app.screen.record
        saved = Record("lead", "2", {**old.values, "last_name": "Renamed"})
        app.screen.dismiss(saved)  # what the form returns after a save
        await settle(pilot)
        text = screen_text(app)
        assert "Renamed" in text.split("\n")[3]  # the row, in place
        assert "Leads: First2 Renamed" in text  # and the detail
        assert len(backend.calls) == calls  # without reloading the list


async def test_delete_asks_for_the_id_then_removes_the_row(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("d", *"1", "enter")
        await settle(pilot)
        assert all(r.id != "1" for r in backend.data["lead"])
        rows = record_list(app)
        assert rows.current is not None and rows.current.id == "2"
        assert "row 1 of 9,999" in screen_text(app)


async def test_read_only_profile_is_marked_and_cannot_delete(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory(FakeProfile(mode="read-only", production=True))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        header = screen_text(app).split("\n")[0]
        assert "READ-ONLY" in header and "PRODUCTION" in header
        await pilot.press("d")
        await settle(pilot)
        assert "read-only" in notified(app)
        assert len(backend.data["lead"]) == 10_000


async def test_at_80x24_the_detail_folds_away_and_stacks_on_demand(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Leads: First1" not in screen_text(app)
        assert "Last000001" in screen_text(app)
        await pilot.press("i")
        await settle(pilot)
        text = screen_text(app)
        assert "Leads: First1 Last000001" in text and "Last000001" in text.split("\n")[2]
        await pilot.press("b")  # the entity pane hides
        await settle(pilot)
        assert "Contacts" not in screen_text(app)


async def test_export_writes_the_current_view(app_factory: AppFactory, tmp_path: Path) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        worker = main_screen(app).export("csv", tmp_path)
        await settle(pilot)
        path = worker.result
        assert path is not None and path.parent == tmp_path
        lines = path.read_text().splitlines()
        assert lines[0].startswith("id,first_name,last_name,email")
        assert len(lines) == 10_001
        assert "Exported 10,000 records" in notified(app)


async def test_pages_arriving_leave_the_detail_pane_where_the_user_is(
    app_factory: AppFactory,
) -> None:
    from crmtui.ui.widgets.detail import DetailPane

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        detail = main_screen(app).query_one(DetailPane)
        detail.options.highlighted = 3
        record_list(app).scroll_to(y=3000, animate=False)  # pages load; the cursor stays
        await settle(pilot)
        assert record_list(app).record_at(3000) is not None
        assert detail.options.highlighted == 3
