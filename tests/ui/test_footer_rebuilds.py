"""The footer's keys: drawn as one line that follows the focus, and pressed by a click.

Textual's footer is a widget per key, rebuilt (a dozen keys, each styled anew) on every change
of the bindings; crmtui's draws the line itself (see crmtui/ui/widgets/key_footer.py).
"""

from __future__ import annotations

from typing import Any

from crmtui.ui.screens.help import HelpScreen
from crmtui.ui.widgets.key_footer import KeyFooter

from .conftest import AppFactory
from .helpers import screen_text, settle


def footer_line(app: Any) -> str:
    return screen_text(app).rstrip("\n").split("\n")[-1]


async def test_a_click_on_a_footer_key_presses_it(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        line = footer_line(app)
        x = line.index("? Help") + 1
        await pilot.click(KeyFooter, offset=(x, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen), app.screen


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
