"""Fixtures for the TUI tests: an app over a fake session, fixed theme, prefs in a temp dir."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crmtui.profiles.model import ProfileBase
from crmtui.ui.app import CrmApp, make_app
from crmtui.ui.prefs import Prefs, load_prefs
from tests.fakes import FakeBackend, FakeProfile, FakeSession

AppFactory = Callable[..., CrmApp]


@pytest.fixture
def prefs(tmp_path: Path) -> Prefs:
    """Preferences written under the test's temp dir."""
    return load_prefs(tmp_path / "prefs")


@pytest.fixture
def backend() -> FakeBackend:
    """10,000 leads, 50 contacts."""
    return FakeBackend()


@pytest.fixture
def app_factory(backend: FakeBackend, prefs: Prefs) -> AppFactory:
    """Build an app over `backend` with a fake session (profile options as keywords)."""

    def factory(profile: ProfileBase | None = None, **options: Any) -> CrmApp:
        sessions: dict[str, FakeSession] = {}

        async def opener(name: str) -> Any:
            chosen = profile or FakeProfile(name=name)
            sessions[name] = FakeSession(backend, chosen)
            return sessions[name]

        options.setdefault("theme", "textual-dark")
        app = make_app(opener=opener, profiles=["test", "other"], prefs=prefs, **options)
        app.test_sessions = sessions  # type: ignore[attr-defined]
        return app

    return factory
