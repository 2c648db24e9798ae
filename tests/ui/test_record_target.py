"""Commands act on the record on screen; jump and create put the cursor on it; letters stay text."""

from __future__ import annotations

from crmtui.model import Record
from crmtui.ui.screens.dialogs import DeleteScreen
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.screens.outbox import OutboxScreen
from crmtui.ui.widgets.detail import DetailPane
from tests.fakes import FakeBackend

from .conftest import AppFactory
from .helpers import main_screen, record_list, screen_text, settle


async def test_e_after_a_jump_to_a_record_not_loaded_edits_that_record(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"9000", "enter")
        await settle(pilot)
        cursor = record_list(app).current
        assert cursor is not None and cursor.id == "1"  # the cursor stays; the detail shows 9000
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        assert app.screen.record is not None and app.screen.record.id == "9000"


async def test_d_offers_to_delete_the_record_in_the_detail_pane(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"9000", "enter")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DeleteScreen)
        assert app.screen.record_id == "9000"


async def test_at_80x24_a_jump_to_a_record_not_loaded_shows_the_record(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"9000", "enter")
        await settle(pilot)
        detail = main_screen(app).query_one(DetailPane)
        assert detail.region.height > 3 and detail.region.width > 40
        assert "Leads: First9000 Last009000" in screen_text(app)


async def test_creating_a_record_puts_the_cursor_or_the_detail_on_it(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        created = await backend.create("lead", {"first_name": "Ada", "last_name": "Lovelace"})
        app.screen.dismiss(created)
        await settle(pilot)
        assert "Lovelace" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DeleteScreen)
        assert app.screen.record_id == created.id


async def test_created_record_already_loaded_gets_the_cursor(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        main = main_screen(app)
        main._created(Record("lead", "50", dict(backend.data["lead"][49].values)))
        await settle(pilot)
        current = record_list(app).current
        assert current is not None and current.id == "50"


async def test_letters_typed_in_the_edit_form_off_a_text_field_open_nothing(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditScreen)
        form.set_focus(None)  # focus not on a text field
        await pilot.press(*"Lovelace", "question_mark")
        await settle(pilot)
        assert app.screen is form, f"typing opened {type(app.screen).__name__}"
        assert not isinstance(app.screen, OutboxScreen)
        assert app.is_running
