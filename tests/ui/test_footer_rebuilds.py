"""The footer is built once for the opening screen, and again only when the keys it shows change.

Textual's footer rebuilt itself (a dozen keys, each styled anew) once per bindings change: the
main screen's opening changes them several times, which cost start-up a rebuild each.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from .conftest import AppFactory
from .helpers import screen_text, settle


def footer_line(app: Any) -> str:
    return screen_text(app).rstrip("\n").split("\n")[-1]


async def test_the_opening_screen_builds_its_footer_once(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    original = FooterKey.__init__

    def counted(self: FooterKey, key: str, *args: Any, **kwargs: Any) -> None:
        built.append(key)
        original(self, key, *args, **kwargs)

    monkeypatch.setattr(FooterKey, "__init__", counted)
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        shown = len(app.screen.query(FooterKey))
        assert "^p palette" in footer_line(app)
        assert shown and len(built) == shown, (len(built), shown)


async def test_the_footer_follows_the_focus_keys(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        listing = footer_line(app)
        assert "Search" in listing
        await pilot.press("tab")  # the detail pane, whose keys differ
        await settle(pilot)
        await pilot.pause(0.1)
        detail = footer_line(app)
        assert detail != listing
        await pilot.press("shift+tab")
        await settle(pilot)
        await pilot.pause(0.1)
        assert footer_line(app) == listing
