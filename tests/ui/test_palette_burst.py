"""Keys typed right behind a palette command, in one burst, land in the dialog it opens."""

from __future__ import annotations

from textual.widgets import Input

from crmtui.ui.screens.jump import JumpScreen

from .conftest import AppFactory
from .helpers import settle
from .test_key_bursts import burst, quiet


async def test_a_palette_command_then_an_id_in_one_burst_types_the_id_into_its_dialog(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"jump to record")
        await quiet(pilot)
        burst(app, "enter", *"abc")
        await quiet(pilot)
        assert isinstance(app.screen, JumpScreen)
        assert app.screen.query_one("#jump-id", Input).value == "abc"
