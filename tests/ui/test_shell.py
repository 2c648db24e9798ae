"""The app shell: keymap from the config, command palette, profile switching, themes."""

from __future__ import annotations

from crmtui.ui.keymap import RESERVED_KEYS, binding_ids
from crmtui.ui.prefs import Prefs
from crmtui.ui.widgets.search_bar import SearchBar
from tests.fakes import FakeSession

from .conftest import AppFactory
from .helpers import main_screen, notified, settle


async def test_keymap_table_remaps_and_reports_what_it_cannot(app_factory: AppFactory) -> None:
    keymap = {"main.search": "f", "no.such.binding": "x", "main.jump": "ctrl+h"}
    app = app_factory(keymap=keymap)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert main_screen(app).query_one(SearchBar).has_class("-open")
        messages = notified(app)
        assert "unknown binding id 'no.such.binding'" in messages
        assert "ctrl+h cannot be used" in messages


async def test_every_binding_has_an_id_and_none_uses_ctrl_hjkl(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        classes = app.binding_classes()
        ids = binding_ids(classes)
        assert {"app.quit", "main.search", "main.jump", "list.sort", "main.columns"} <= set(ids)
        for cls in classes:
            for binding in getattr(cls, "BINDINGS", []):
                assert binding.id, f"{cls.__name__} binds {binding.key} without an id"
                assert not set(binding.key.split(",")) & RESERVED_KEYS


async def test_palette_switches_entity_profile_and_theme(
    app_factory: AppFactory, prefs: Prefs
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"contacts")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        entity = main_screen(app).entity
        assert entity is not None and entity.name == "contact"
        await pilot.press("ctrl+p", *"nord")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "nord" and prefs.theme == "nord"
        first = main_screen(app).session
        await pilot.press("ctrl+p", *"other")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert main_screen(app).session.profile.name == "other"
        assert isinstance(first, FakeSession) and first.closed  # the old session's client is closed
