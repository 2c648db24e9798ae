"""The triage screen's footer shows the keys that work there, drawn as the rest of the app's are:
its own keys (never the main screen's), y and n alone while a change waits for its answer, and
at a narrow width whole keys, Next and Leave kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crmtui.ui.app import CrmApp
from crmtui.ui.screens.triage import TriageScreen
from tests.fakes import FakeBackend, FakeProfile

from .helpers import screen_text, settle

AppFactory = Callable[..., CrmApp]
TRIAGE_KEYS = ("↓ Next", "↑ Previous", "z Undo last", "tab Field", "esc Leave")  # in this order


def footer(app: CrmApp) -> str:
    """The screen's last line, as the user sees it."""
    return screen_text(app).rstrip("\n").splitlines()[-1]


async def test_the_footer_shows_the_triage_keys_then_only_y_and_n_while_asking(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory(FakeProfile(mode="confirm-writes"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
        line = footer(app)
        assert line.startswith(" ↓ Next  ↑ Previous  z Undo last  tab Field  esc Leave "), line
        assert "Yes" not in line and "No" not in line, line
        for gone in ("Search", "Edit", "Quit", "Triage"):  # the main screen's keys do nothing here
            assert gone not in line, line
        await pilot.press("3")  # asks first: now only y and n do anything
        await settle(pilot)
        line = footer(app)
        assert " y Yes  n No " in line, line
        assert not any(key in line for key in TRIAGE_KEYS), line
        await pilot.press("n")
        await settle(pilot)
        line = footer(app)
        assert all(key in line for key in TRIAGE_KEYS) and "Yes" not in line, line


async def test_the_answer_keys_follow_the_profile_keymap_in_the_footer_and_the_question(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory(FakeProfile(mode="confirm-writes"), keymap={"triage.yes": "o"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t", "3")
        await settle(pilot)
        assert " o Yes  n No " in footer(app) and "o yes · n no" in screen_text(app)
        await pilot.press("y")  # no longer an answer: still asking
        await settle(pilot)
        assert " o Yes " in footer(app)
        await pilot.press("o")
        await settle(pilot, 4)
        assert next(r for r in backend.data["lead"] if r.id == "1").values["status"] == "won"
        assert "↓ Next" in footer(app)


@pytest.mark.parametrize("width", [40, 52, 64])
async def test_a_narrow_footer_shows_whole_keys_next_and_leave_kept(
    app_factory: AppFactory, width: int
) -> None:
    app = app_factory()
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
        line = footer(app)
        assert line.rstrip().endswith("^p palette"), line
        keys = [key for key in line.rsplit("▏", 1)[0].strip().split("  ") if key]
        assert all(key in TRIAGE_KEYS for key in keys), line  # whole keys only
        assert "↓ Next" in keys and "esc Leave" in keys, line  # the ones that move on or out
