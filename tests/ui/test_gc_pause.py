"""Start-up runs without the cycle collector, which the app turns back on soon after it starts.

Its passes over start-up's objects (all alive) cost 0.1-0.2 s of CPU before the first rows; the
collector must never stay off, whether the app runs on or stops early.
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crmtui.ui import launch

from .conftest import AppFactory
from .helpers import until


@pytest.fixture(autouse=True)
def collecting() -> Iterator[None]:
    """Every test starts and ends with the collector on, whatever it does in between."""
    gc.enable()
    yield
    gc.enable()


def test_the_launch_builds_and_starts_the_app_without_the_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    class Started:
        crash_file_message = None
        return_code = 0
        resume_gc_in: float | None = None

        def run(self) -> None:
            seen["running"] = gc.isenabled()
            seen["resume"] = self.resume_gc_in

    def build(args: argparse.Namespace, start: Any = None) -> tuple[Started, Callable[[], None]]:
        seen["building"] = gc.isenabled()
        return Started(), lambda: None

    monkeypatch.setattr(launch, "build_app", build)
    assert launch.run(argparse.Namespace()) == 0
    assert seen == {"building": False, "running": False, "resume": launch.GC_PAUSE_S}
    assert gc.isenabled()  # an app that stops early leaves it on


async def test_the_app_turns_the_collector_back_on(app_factory: AppFactory) -> None:
    app = app_factory()
    app.resume_gc_in = 1.0  # after the first frame (held up to 0.2 s for the first rows)
    gc.disable()
    gc.unfreeze()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert not gc.isenabled()
            await until(pilot, gc.isenabled, timeout=5)
            # what start-up built is frozen out of the collector's passes (no long stalls later)
            assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
