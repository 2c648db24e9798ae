"""The first entity's fields are on their way while the main screen is built, and asked for once;
the mirror's background sync waits for the first page."""

from __future__ import annotations

import asyncio

import pytest

from crmtui.model import FieldSpec, Page, Query
from crmtui.ui.app import make_app
from crmtui.ui.prefs import Prefs
from crmtui.ui.screens.main import MainScreen
from tests.fakes import FakeBackend, FakeProfile, FakeSession

from .conftest import AppFactory
from .helpers import settle


class Recording(FakeBackend):
    """Notes when the fields are asked for."""

    def __init__(self) -> None:
        super().__init__(leads=300)
        self.events: list[str] = []

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        self.events.append(f"fields {entity}")
        return await super().load_fields(entity)


@pytest.fixture
def backend() -> FakeBackend:
    return Recording()


async def test_fields_travel_while_the_screen_is_built(
    app_factory: AppFactory, backend: Recording, monkeypatch: pytest.MonkeyPatch
) -> None:
    mounted = MainScreen.on_mount

    def noting(screen: MainScreen) -> None:
        backend.events.append("screen mounted")
        mounted(screen)

    monkeypatch.setattr(MainScreen, "on_mount", noting)
    app = app_factory(entity="contact")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        main = app.main_screen
        assert main is not None and main.entity is not None
        assert main.entity.name == "contact"
        assert main.records.current is not None  # the list is up
    assert backend.events[:2] == ["fields contact", "screen mounted"]
    assert backend.events.count("fields contact") == 1


class MirrorProfile(FakeProfile):
    """A profile that keeps a mirror."""

    mirror: bool = True


class SlowPages(Recording):
    """Pages take a while; notes when each arrives."""

    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        await asyncio.sleep(0.4)
        page = await super().list_page(entity, query, offset, limit)
        self.events.append(f"page {entity}")
        return page


async def test_the_mirror_sync_waits_for_the_first_page(
    prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = SlowPages()
    monkeypatch.setattr("crmtui.ui.find_sync.REFRESH_EVERY", 3600.0)  # as in use: sync, then wait
    monkeypatch.setattr("crmtui.ui.find_sync.START_AFTER", 0.0)

    async def syncing(backend_: object, mirror: object, entity: str, **options: object) -> None:
        backend.events.append(f"sync {entity}")

    monkeypatch.setattr("crmtui.services.mirror_sync.sync_entity", syncing)

    async def opener(name: str) -> FakeSession:
        return FakeSession(backend, MirrorProfile(name=name))

    app = make_app(opener=opener, profiles=["test"], prefs=prefs, theme="textual-dark")
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if any(e.startswith("sync") for e in backend.events):
                break
        main = app.main_screen
        for _ in range(100):  # no page left on its way when the app exits
            if main is None or not main.records.pending_pages:
                break
            await pilot.pause(0.05)
    synced = [e for e in backend.events if e.startswith("sync")]
    assert synced, backend.events
    first_sync = backend.events.index(synced[0])
    assert "page lead" in backend.events[:first_sync]
