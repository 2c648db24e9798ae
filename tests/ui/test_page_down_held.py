"""Page-down against a vendor slow to answer: the rows ahead are on their way before they show."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot

from bench.sandboxes import open_sandbox
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.widgets.record_list import RecordList

from .helpers import settle, until

LATENCY = 0.25  # seconds the emulator adds to every request


@asynccontextmanager
async def slow_demo(
    tmp_path: Path, records: int = 3_000, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[CrmApp, Pilot[Any], RecordList]]:
    """The demo's CMDataManager answering `LATENCY` late, its lead list open and settled."""
    demo = open_sandbox(tmp_path, ["cmdatamanager"], records=records)
    for served in demo.apps.values():
        served.state.faults.latency = LATENCY
    app = app_for_config(demo.config, None, memory_prefs(), dict(demo.transports))
    try:
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda: app.main_screen is not None and bool(app.main_screen.entity))
            assert app.main_screen is not None
            rows = app.main_screen.query_one(RecordList)
            await until(pilot, lambda: rows.record_at(0) is not None)
            await settle(pilot)
            rows.focus()
            await pilot.pause()
            yield app, pilot, rows
    finally:
        demo.close()


def placeholders_shown(rows: RecordList) -> int:
    """Rows on screen still waiting for their page (drawn as placeholders)."""
    top = int(rows.scroll_offset.y)
    shown = range(top, min(top + rows.size.height - 1, rows.row_count))
    return sum(rows.record_at(i) is None for i in shown)


async def test_the_rows_of_the_next_page_downs_are_there_before_the_first_key(
    tmp_path: Path,
) -> None:
    """Three page-downs right after the list opens show rows, not placeholders."""
    async with slow_demo(tmp_path) as (_app, pilot, rows):
        visible = rows.size.height - 1
        landing = 3 * (visible - 1) + 1  # the rows on screen after three page-downs, and above
        assert landing > 100  # past the first page
        assert all(rows.record_at(i) is not None for i in range(landing)), rows.pending_pages
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert placeholders_shown(rows) == 0, (rows.cursor, rows.pending_pages)


async def test_held_page_down_on_a_slow_vendor_shows_rows(tmp_path: Path) -> None:
    """20 keys a second (a key's auto-repeat) for 4 s, the screen looked at 30 times a second.

    The first second is not counted: the list learns the pace of the keys and of the vendor
    there, and a machine busy at that moment sends the keys in a burst nothing could foresee.
    """
    async with slow_demo(tmp_path) as (app, pilot, rows):
        looks, missing = 0, []
        started = next_key = time.perf_counter()
        while (now := time.perf_counter()) - started < 4.0:
            while now >= next_key:  # the keys due, however late this loop wakes
                app.post_message(events.Key("pagedown", None))
                next_key += 1 / 20
            await asyncio.sleep(1 / 30)
            if time.perf_counter() - started < 1.0:
                continue
            looks += 1
            if placeholders_shown(rows):
                missing.append(rows.cursor)
        reached = rows.cursor
        # The keys still held back, and the pages on their way (not `settle`: the detail pane
        # cancels its related-records worker as the cursor moves, which `settle` would raise).
        await until(pilot, lambda: not app.keygate.backlog and not rows.pending_pages)
        assert reached >= 700, reached  # the keys moved the list on all the while
        assert len(missing) <= looks // 20, (len(missing), looks, missing)
