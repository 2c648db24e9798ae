"""Opening a profile: the first page travels with the field metadata, not after it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.sandboxes import open_sandbox
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.widgets.record_list import RecordList


async def first_rows_log(tmp_path: Path, mirror: bool = False) -> list[Any]:
    """The request log of the demo's CMDataManager (0.2 s a request), opened until its first
    row shows (`mirror`: with a local copy not made yet)."""
    demo = open_sandbox(tmp_path, ["cmdatamanager"], records=300)
    for served in demo.apps.values():
        served.state.faults.latency = 0.2
    if mirror:
        name = next(iter(demo.config.profiles))
        profile = demo.config.profiles[name]
        demo.config.profiles[name] = profile.model_copy(update={"mirror": True})
    app = app_for_config(demo.config, None, memory_prefs(), dict(demo.transports))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            while app.main_screen is None or app.main_screen.entity is None:
                await pilot.pause(0.02)
            rows = app.main_screen.query_one(RecordList)
            while rows.record_at(0) is None:
                await pilot.pause(0.02)
            log = list(app.main_screen.session.backend.http.log.entries)
            await app.workers.wait_for_complete()
    finally:
        demo.close()
    return log


async def test_the_first_page_is_asked_for_while_the_fields_travel(tmp_path: Path) -> None:
    log = await first_rows_log(tmp_path)
    fields = next(e for e in log if "/lead/fields" in e.url)
    page = next(e for e in log if "/lead?" in e.url)
    assert page.started < fields.started + fields.duration  # both on their way at once
    assert sum("/lead?" in e.url for e in log) == 1  # the list took it: asked once


async def test_a_mirror_not_yet_copied_still_asks_for_the_first_page_with_the_fields(
    tmp_path: Path,
) -> None:
    """`mirror = true` (the demo's) before the copy is complete: the list reads the vendor, and
    its first page leaves with the fields, not after the screen is built."""
    log = await first_rows_log(tmp_path, mirror=True)
    fields = next(e for e in log if "/lead/fields" in e.url)
    page = next(e for e in log if "/lead?" in e.url)
    assert page.started < fields.started + fields.duration  # both on their way at once
