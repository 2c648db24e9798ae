"""The record actions dialog's footer shows its own keys, not the main screen's beneath it."""

from __future__ import annotations

from typing import Any

from crmtui.ui.app import make_app
from crmtui.ui.screens.actions import ActionsScreen
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.screens.pick import PickScreen
from tests.fakes import FakeProfile, FakeSession

from .helpers import screen_text, settle
from .test_triage_actions import ActingBackend


def footer(text: str) -> str:
    """The screen's last line."""
    return text.rstrip("\n").splitlines()[-1]


def app_over(backend: ActingBackend, prefs: Any) -> Any:
    """The app, opened on `backend`."""

    async def opener(name: str) -> Any:
        return FakeSession(backend, FakeProfile(name=name))

    return make_app(opener=opener, profiles=["test"], prefs=prefs, theme="textual-dark")


async def test_the_actions_dialog_footer_lists_its_own_keys(prefs: Any) -> None:
    backend = ActingBackend()
    app = app_over(backend, prefs)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "q Quit" in footer(screen_text(app))  # the main screen's keys, before
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        line = footer(screen_text(app))
        assert "esc Cancel" in line, line
        for gone in ("Search", "Edit", "Quit", "Delete", "Run"):  # nothing here does these
            assert gone not in line, line
        await pilot.press("2")  # Close lead: its form is shown, ctrl+s runs it
        await settle(pilot)
        line = footer(screen_text(app))
        assert "esc Cancel" in line and "^s Run" in line, line
        assert "Quit" not in line, line
        await pilot.press(*"done", "ctrl+s")
        await settle(pilot, 4)
        assert backend.ran == [("1", "close", {"note": "done"})]


async def test_every_dialog_footer_lists_its_own_keys(prefs: Any) -> None:
    app = app_over(ActingBackend(), prefs)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, wanted in (("g", "esc Cancel"), ("c", "esc Cancel"), ("d", "esc Cancel")):
            await pilot.press(key)
            await settle(pilot)
            line = footer(screen_text(app))
            assert wanted in line and "Quit" not in line and "Search" not in line, (key, line)
            await pilot.press("escape")
            await settle(pilot)
            assert "q Quit" in footer(screen_text(app))  # the main screen's keys again
        for dialog, wanted in (
            (ConfirmScreen("Save?", "a change"), "y Yes"),
            (PickScreen("Which one?", ["this", "that"]), "esc Cancel"),
        ):
            app.push_screen(dialog)
            await settle(pilot)
            line = footer(screen_text(app))
            assert wanted in line and "Quit" not in line, (type(dialog).__name__, line)
            await pilot.press("escape")
            await settle(pilot)
