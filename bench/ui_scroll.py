"""Benchmark (not a test): the record list on a sandbox with 100,000 leads.

Prints the time from opening the entity to its first rows on screen, and the cost of a cursor
step and of a page-down at row 10 against row 90,000 (the widget's work plus one frame's render).
Run: .venv/bin/python bench/ui_scroll.py [--records N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from crmtui.services.demo import open_demo
from crmtui.services.prefs import memory_prefs
from crmtui.ui.launch import app_for_config
from crmtui.ui.widgets.record_list import RecordList


def frame(rows: RecordList) -> None:
    """Render every visible line, as the compositor does for a frame."""
    for y in range(rows.size.height):
        rows.render_line(y)


def cost(rows: RecordList, step: Any, repeat: int = 50) -> float:
    """Median milliseconds of `step()` followed by a frame."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        frame(rows)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def wait_rows(app: Any, rows: RecordList, index: int) -> None:
    """Until the row at `index` has arrived."""
    while rows.record_at(index) is None:
        await asyncio.sleep(0.001)


async def main(records: int) -> None:
    """Seed the sandbox, open the app headless, measure."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        demo = open_demo(data_dir=Path(folder), records=records)
        print(f"sandbox with {records:,} leads ready in {time.perf_counter() - started:.1f} s")
        app = app_for_config(demo.config, None, memory_prefs(), dict(demo.transports))
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                while app.main_screen is None or app.main_screen.entity is None:
                    await pilot.pause(0.01)
                main = app.main_screen
                rows = main.query_one(RecordList)
                await app.workers.wait_for_complete()
                start = time.perf_counter()
                main.open_entity("lead")
                await pilot.pause()
                await wait_rows(app, rows, 0)
                frame(rows)
                print(f"open lead -> first rows on screen: {(time.perf_counter() - start):.3f} s")
                await pilot.pause()
                for target in (10, 90_000):
                    rows.cursor = target
                    await wait_rows(app, rows, target)
                    await wait_rows(app, rows, target + 60)
                    await pilot.pause()
                    # Steps down and back up: the cursor stays near `target`, on loaded rows.
                    step = cost(rows, lambda: (rows.action_cursor(1), rows.action_cursor(-1)))
                    page = cost(rows, lambda: (rows.action_page(1), rows.action_page(-1)))
                    print(
                        f"row {target:>6,}: cursor step {step / 2:.3f} ms, "
                        f"page-down {page / 2:.3f} ms"
                    )
        finally:
            demo.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().records))
