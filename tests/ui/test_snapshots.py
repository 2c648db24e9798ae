"""Snapshots of the main layout at 80x24 and 120x36 (fixed theme, seeded fake data)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from crmtui.ui.app import CrmApp, make_app
from crmtui.ui.prefs import memory_prefs
from tests.fakes import FakeBackend, FakeSession

from .helpers import settle


def snapshot_app() -> CrmApp:
    """The app over 10,000 fake leads; every figure on screen is fixed."""
    backend = FakeBackend()

    async def opener(name: str) -> Any:
        return FakeSession(backend)

    return make_app(opener=opener, profiles=["test"], prefs=memory_prefs(), theme="textual-dark")


async def _loaded(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("down", "down")
    await settle(pilot)


def test_main_layout_80x24(snap_compare: Any) -> None:
    assert snap_compare(snapshot_app(), terminal_size=(80, 24), run_before=_loaded)


def test_main_layout_120x36(snap_compare: Any) -> None:
    assert snap_compare(snapshot_app(), terminal_size=(120, 36), run_before=_loaded)
