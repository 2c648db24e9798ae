"""The footer at 80x24 and 120x36: whole keys beside the palette key, none cut in half."""

from __future__ import annotations

import pytest

from crmtui.ui.screens.edit import EditScreen

from .conftest import AppFactory
from .helpers import screen_text, settle


def footer_keys(text: str) -> tuple[list[str], str]:
    """The footer's keys ("e Edit", ...) and what stands right of its divider."""
    line = text.rstrip("\n").split("\n")[-1]
    left, _, right = line.partition("▏")
    return [k.strip() for k in left.split("  ") if k.strip()], right.strip()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_main_footer_shows_whole_keys_and_the_palette(
    app_factory: AppFactory, size: tuple[int, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        keys, right = footer_keys(screen_text(app))
        assert right == "^p palette"
        assert {"/ Search", "e Edit", "q Quit", "? Help"} <= set(keys), keys
        for key in keys:  # a key with its description, not a lone letter
            assert len(key.split(" ", 1)) == 2, keys


async def test_the_edit_footer_shows_only_the_form_keys(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        await pilot.pause(0.1)
        keys, right = footer_keys(screen_text(app))
        assert keys == ["^e $EDITOR", "^f Go to field", "^s Save", "esc Back"], keys
        assert right == "^p palette"
