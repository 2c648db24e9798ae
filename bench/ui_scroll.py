"""The record list, headless: first rows on a large entity and cursor/page-down cost deep in it.

First rows: from opening the lead entity to its first rows rendered (the list's own lines), on a
sandbox with many leads against one with few. Cursor step and page-down: the widget's work plus
one frame of its lines, at a row deep in the list against a row near the top.
Run alone: .venv/bin/python -m bench.ui_scroll [--records N]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bench.core import AT_MOST, Row, interleaved, judge, median, stopwatch

FIRST_ROWS_LIMIT = 0.3  # seconds


def frame(rows: Any) -> None:
    """Draw the list as the compositor does for a frame: `render_lines` over the whole widget,
    which draws the lines the list marked dirty and takes the others from Textual's line cache."""
    from textual.geometry import Region

    rows.render_lines(Region(0, 0, rows.size.width, rows.size.height))


def per_key(rows: Any, keys: Sequence[Callable[[], object]]) -> float:
    """CPU milliseconds per key of `keys`, each followed by a frame, as on screen.

    CPU time of this thread, not wall time: other processes on a busy machine count less (they
    still share its caches and cores), hence the depths alternate sample by sample.
    """
    start = time.thread_time()
    for key in keys:
        key()
        frame(rows)
    return (time.thread_time() - start) * 1000 / len(keys)


def place(rows: Any, target: int) -> None:
    """The cursor on row `target`, on row 10 of the view (the same place on screen at every
    depth, so no measurement scrolls more than another), drawn."""
    rows.cursor = target
    rows.scroll_to(y=max(target - 10, 0), animate=False, immediate=True)
    frame(rows)


async def wait_rows(rows: Any, *indexes: int, timeout: float = 30.0) -> None:
    """Until the rows at `indexes` have arrived."""
    deadline = time.perf_counter() + timeout
    while any(rows.record_at(i) is None for i in indexes):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"rows {indexes} never arrived")
        await asyncio.sleep(0.0005)


@asynccontextmanager
async def demo_app(
    data_dir: Path, size: tuple[int, int] = (120, 40), latency: float = 0.0
) -> AsyncIterator[Any]:
    """The crmtui app on the demo store in `data_dir`, headless, lead list loaded: (app, pilot).

    With `latency`, the emulator adds that many seconds to every request (its fault switch).
    """
    from bench.sandboxes import open_sandbox
    from crmtui.ui.launch import app_for_config
    from crmtui.ui.prefs import memory_prefs
    from crmtui.ui.widgets.record_list import RecordList

    demo = open_sandbox(data_dir, ["cmdatamanager"])
    for served in demo.apps.values():
        served.state.faults.latency = latency
    app = app_for_config(demo.config, None, memory_prefs(), dict(demo.transports))
    try:
        async with app.run_test(size=size) as pilot:
            while app.main_screen is None or app.main_screen.entity is None:
                await pilot.pause(0.01)
            await wait_rows(app.main_screen.query_one(RecordList), 0)
            await app.workers.wait_for_complete()
            await pilot.pause()
            yield app, pilot
    finally:
        demo.close()


async def first_rows(data_dir: Path, repeat: int) -> list[float]:
    """Seconds from opening the lead entity to its first rows rendered, `repeat` times."""
    from crmtui.ui.widgets.record_list import RecordList

    samples = []
    async with demo_app(data_dir) as (app, pilot):
        main = app.main_screen
        rows = main.query_one(RecordList)
        for _ in range(repeat):
            main.open_entity("account")  # away and back, as a user switching entities
            await app.workers.wait_for_complete()
            await pilot.pause()
            elapsed = stopwatch()
            main.open_entity("lead")
            while rows.entity is None or rows.entity.name != "lead":
                await asyncio.sleep(0.0005)  # the list still shows the accounts
            await wait_rows(rows, 0)
            frame(rows)
            samples.append(elapsed())
            await app.workers.wait_for_complete()
            await pilot.pause()
    return samples


def measure_first_rows(
    big_dir: Path, big: int, small_dir: Path, small: int, repeat: int, warmup: int = 1
) -> Row:
    """First rows on `big` leads against `small` leads: interleaved app runs, medians."""
    per_app = 3 if repeat > 1 else 1
    runs = [
        lambda: median(asyncio.run(first_rows(big_dir, per_app))),
        lambda: median(asyncio.run(first_rows(small_dir, per_app))),
    ]
    many, few = (median(s) for s in interleaved(runs, repeat, warmup))
    ratio = many / few
    return Row(
        "first_rows",
        f"first rows of an entity with {big:,} records",
        f"{many * 1000:.0f} ms",
        f"{few * 1000:.0f} ms with {small:,}",
        ratio,
        f"<= 1.2x, < {FIRST_ROWS_LIMIT} s",
        judge(ratio, AT_MOST, 1.2) and many < FIRST_ROWS_LIMIT,
        details={"big_s": many, "small_s": few, "big": big, "small": small},
    )


async def step_costs(
    data_dir: Path, near: int, deep: int, repeat: int, samples: int = 30
) -> dict[str, list[float]]:
    """Milliseconds per key of a cursor step and of a page-down, at row `near` and row `deep`.

    Every sample starts from the same place (`place`): a step goes down and back up (two keys),
    a page-down moves a screen and scrolls the list. The two depths alternate sample by sample,
    so a busy moment of the machine falls on both alike; each of the `repeat` rounds first lets
    the app catch up (its messages, the pages it fetched ahead), and a first round, unmeasured,
    warms both depths up (rows loaded, lines drawn).
    """
    from crmtui.ui.widgets.record_list import RecordList

    out: dict[str, list[float]] = {
        "step_near": [],
        "step_deep": [],
        "page_near": [],
        "page_deep": [],
    }
    async with demo_app(data_dir) as (app, pilot):
        rows = app.main_screen.query_one(RecordList)
        step = (lambda: rows.action_cursor(1), lambda: rows.action_cursor(-1))
        page = (lambda: rows.action_page(1),)
        for round_ in range(repeat + 1):
            for target in (near, deep):
                place(rows, target)
                visible = rows.size.height
                await wait_rows(rows, *range(max(target - visible, 0), target + 2 * visible))
            await app.workers.wait_for_complete()
            await pilot.pause()
            for sample in range(samples):
                order = [("near", near), ("deep", deep)]
                for name, target in order if sample % 2 == 0 else order[::-1]:
                    place(rows, target)
                    step_ms = per_key(rows, step)
                    place(rows, target)
                    page_ms = per_key(rows, page)
                    if round_:
                        out[f"step_{name}"].append(step_ms)
                        out[f"page_{name}"].append(page_ms)
    return out


def measure_steps(data_dir: Path, records: int, repeat: int) -> Row:
    """Cursor step and page-down at 90% of `records` against row 10: the worse of the two ratios."""
    deep = int(records * 0.9)
    costs = asyncio.run(step_costs(data_dir, 10, deep, repeat * 3))
    m = {k: median(v) for k, v in costs.items()}
    ratios = {"step": m["step_deep"] / m["step_near"], "page": m["page_deep"] / m["page_near"]}
    ratio = max(ratios.values())
    return Row(
        "cursor_deep",
        f"cursor step / page-down at row {deep:,}",
        f"{m['step_deep']:.3f} / {m['page_deep']:.3f} ms",
        f"{m['step_near']:.3f} / {m['page_near']:.3f} ms at row 10",
        ratio,
        "<= 1.1x",
        judge(ratio, AT_MOST, 1.1),
        note=f"CPU time per key with one frame; ratio is the worse of step "
        f"{ratios['step']:.2f}x and page-down {ratios['page']:.2f}x",
        details={**m, "deep": deep, "records": records, "repeat": repeat},
    )


async def held_page_down(
    data_dir: Path, latency: float, keys_per_s: float = 10.0, seconds: float = 5.0
) -> dict[str, float]:
    """Page-down held from the top: the screen looked at 30 times a second, each look standing
    for the time since the one before (a frame at a steady rate, however late a look comes).

    The looks go on after the key is let go while the list still moves on the keys it has not
    handled yet (they wait in the app's key gate): the user watches those frames too.
    """
    from textual import events

    from crmtui.ui.widgets.record_list import RecordList

    async with demo_app(data_dir, latency=latency) as (app, pilot):
        rows = app.main_screen.query_one(RecordList)
        rows.focus()
        await pilot.pause()
        looks = keys = 0
        shown_s = placeholder_s = 0.0
        started = last = time.perf_counter()
        next_key = started
        held: int | None = None  # the cursor when the key was let go
        moved = True

        def pending() -> bool:
            """Keys not handled yet: in the app's queue, or in its key gate's backlog."""
            return bool(app._message_queue.qsize() or app.keygate.backlog)

        while (now := time.perf_counter()) - started < seconds or (
            (pending() or moved) and now - started < seconds + 30
        ):
            if now - started < seconds:
                while now >= next_key:  # the keys due, however late this loop wakes
                    app.post_message(events.Key("pagedown", None))
                    keys += 1
                    next_key += 1 / keys_per_s
            elif held is None:
                held = rows.cursor
            cursor = rows.cursor
            await asyncio.sleep(1 / 30)
            now = time.perf_counter()
            moved = rows.cursor != cursor
            top = int(rows.scroll_offset.y)
            shown = range(top, min(top + rows.size.height - 1, rows.row_count))
            looks += 1
            shown_s += now - last
            if any(rows.record_at(i) is None for i in shown):
                placeholder_s += now - last
            last = now
        row = rows.cursor
        while pending() or rows.cursor != row:  # should the looks have stopped early
            row = rows.cursor
            await pilot.pause(0.05)
    return {
        "looks": looks,
        "keys": keys,
        "row": row,
        "row_held": row if held is None else held,
        "shown_s": shown_s,
        "placeholder_s": placeholder_s,
    }


def measure_page_down(data_dir: Path, records: int, latency: float = 0.25) -> Row:
    """The share of frames with placeholder rows while page-down is held, `latency` a request
    (until the list comes to rest on the last key)."""
    seen = asyncio.run(held_page_down(data_dir, latency))
    share = seen["placeholder_s"] / max(seen["shown_s"], 1e-9)
    return Row(
        "page_down_latency",
        f"page-down held (10 keys/s, 5 s) with {latency * 1000:.0f} ms a request",
        f"{share:.1%} of frames with placeholders",
        f"{seen['keys']:.0f} keys: row {seen['row_held']:,.0f} when let go, "
        f"{seen['row']:,.0f} at rest, of {records:,}",
        share,
        "<= 0.05",
        judge(share, AT_MOST, 0.05),
        details={**seen, "latency": latency, "records": records},
    )


def main() -> None:
    """Seed a sandbox and print the two rows."""
    from bench.core import table
    from bench.sandboxes import Sandboxes

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    records = parser.parse_args().records
    with Sandboxes() as boxes:
        big, small = boxes.data_dir(records), boxes.data_dir(max(records // 100, 100))
        rows = [
            measure_first_rows(big, records, small, max(records // 100, 100), 3),
            measure_steps(big, records, 3),
        ]
    print(table(rows))


if __name__ == "__main__":
    main()
