"""Vendor-specific views are reachable from the main screen: keys and the command palette."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtui.services.demo import Demo, open_demo
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.jobs import JobsScreen
from crmtui.ui.screens.upsert import UpsertScreen
from crmtui.ui.screens.watch import WatchScreen
from crmtui.ui.vendor_views import views


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("views")
    open_demo(data_dir=folder, records=200).close()
    return folder


def open_app(profile: str, demo_dir: Path) -> tuple[CrmApp, Demo]:
    demo = open_demo(data_dir=demo_dir, records=200)
    app = app_for_config(demo.config, profile, memory_prefs(), transports={**demo.transports})
    return app, demo


async def test_w_opens_the_watch_view_on_sharpspring(demo_dir: Path) -> None:
    app, demo = open_app("demo-sharpspring", demo_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        main = app.main_screen
        assert main is not None
        names = [name for name, _, _ in views(main)]
        assert any(name.startswith("Watch") for name in names)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
    demo.close()


async def test_leadsquared_offers_jobs_and_capture(demo_dir: Path) -> None:
    app, demo = open_app("demo-leadsquared", demo_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        main = app.main_screen
        assert main is not None
        found = {name: run for name, run, _ in views(main)}
        assert "Capture an opportunity" in found
        found["Async jobs"]()
        await pilot.pause()
        assert isinstance(app.screen, JobsScreen)
    demo.close()


async def test_n_on_influencersoft_leads_opens_the_upsert_form(demo_dir: Path) -> None:
    app, demo = open_app("demo-influencersoft", demo_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, UpsertScreen)
    demo.close()
