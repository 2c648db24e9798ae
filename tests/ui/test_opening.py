"""The first entity's fields are on their way while the main screen is built, and asked for once."""

from __future__ import annotations

import pytest

from crmtui.model import FieldSpec
from crmtui.ui.screens.main import MainScreen
from tests.fakes import FakeBackend

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
