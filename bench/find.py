"""Find in a million mirrored leads: key to first result on screen against bare sqlite3, the
TUI's memory with that mirror open, the mirror's size against the leads' JSON, and the first
sync of SharpSpring leads against the vendor's cap.

The million-lead mirror is written directly (bulk load, no sandbox API); the TUI runs headless
(Pilot) on the CMDataManager demo with that mirror, in a subprocess of its own
(`python -m bench.find DATA_DIR`), which prints one JSON line of measurements.
"""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import frame_ref
from bench.core import AT_LEAST, AT_MOST, Row, judge, median, stopwatch
from bench.find_mirror import CACHE, build
from bench.listing import SHARPSPRING_CAP, active_leads
from bench.memory import rss_bytes
from bench.terminal import REPO, bench_env, python

REPEAT = 5
WINDOW_S = 1.0  # SharpSpring's rate window: 10 calls a second
SIZE = (120, 40)
# Where each round's match lies (share of the list): a different deep row every round, so
# each search reads its page and repaints the whole list, as a first search does.
DEPTHS = (0.83, 0.37, 0.61, 0.92, 0.15, 0.71, 0.48)
FIGURES = (
    ("email", "exact email", "the lead's email"),
    ("contains", "last name contains", "a rare last-name fragment"),
    ("common", "last name contains, 1 lead in 10 matching", "a common last-name fragment"),
)


def pick(path: str, layout_json: str, rounds: int) -> dict[str, Any]:
    """Each figure's searches (one per round) and the SQL the app runs for the first result.

    The reference runs that same first-result query in the sqlite3 shell and reads the row.
    """
    import sqlite3

    from crmtui.model.filter import parse
    from crmtui.services.mirror_query import keys_sql
    from crmtui.services.mirror_sql import Layout

    layout = Layout.from_json("lead", layout_json)
    db = sqlite3.connect(path)
    total = db.execute("SELECT (SELECT max(k) FROM r_lead)").fetchone()[0]
    email = layout.column("Email")
    depths = [DEPTHS[i % len(DEPTHS)] for i in range(rounds)]
    texts: dict[str, list[str]] = {
        "email": [
            db.execute(f"SELECT {email} FROM r_lead WHERE k = ?", (int(total * d),)).fetchone()[0]
            for d in depths
        ],
        # one in 50,000 leads is Quenneville<i>: a fragment of one of them is found once
        "contains": [f"LastName~uenneville{_rare(total, d)}" for d in depths],
        "common": [f"LastName~{n}" for n in ("kell", "ngu", "atel", "ossi", "ubois", "han", "owe")],
    }
    db.close()
    fields = list(layout.fields)
    queries: dict[str, Any] = {}
    for key, chosen in texts.items():
        runs = []
        for text in (chosen * rounds)[:rounds]:
            sql, params = keys_sql(parse(text, fields), layout)
            runs.append(
                {
                    "text": text,
                    "sql": f"SELECT * FROM r_lead WHERE k = ({sql} LIMIT 1)",
                    "params": params,
                }
            )
        queries[key] = runs
    return {"total": total, "queries": queries}


def _rare(total: int, depth: float) -> int:
    """The number of the rare last name nearest `depth` into the list (see find_mirror)."""
    return min(int(total * depth) // 50_000, max(total - 18, 0) // 50_000) * 50_000 + 17


def bare_sqlite(path: str, sql: str, params: list[Any]) -> float:
    """Seconds for the sqlite3 shell to answer `sql` on the mirror file (process included)."""
    import shlex

    bound = sql
    for value in params:
        literal = "'" + str(value).replace("'", "''") + "'"
        bound = bound.replace("?", literal, 1)
    elapsed = stopwatch()
    done = subprocess.run(
        ["sqlite3", path, bound], capture_output=True, text=True, timeout=60, check=True
    )
    seconds = elapsed()
    if not done.stdout.strip():
        raise RuntimeError(f"bare sqlite3 found nothing for {shlex.quote(bound)[:80]}")
    return seconds


async def in_tui(data_dir: Path, texts: dict[str, list[str]]) -> dict[str, Any]:
    """Headless app on the mirrored lead list: key-to-first-result times and RSS.

    Each round starts from the top of the list, types the search, and times from Enter to
    the frame that holds the matched row under the cursor, encoded as the terminal's bytes
    (a headless app does not encode its frames: that is done here, inside the time).
    """
    from textual import events

    from crmtui.services.demo import open_demo
    from crmtui.ui import find, find_sync
    from crmtui.ui.launch import app_for_config
    from crmtui.ui.prefs import memory_prefs
    from crmtui.ui.widgets.record_list import RecordList

    find_sync.START_AFTER = 3600.0  # the background sync stays out of the measurement
    demo = open_demo(data_dir=data_dir, records=1_000)
    gc.collect()
    before = rss_bytes()
    app = app_for_config(demo.config, "demo-cmdatamanager", memory_prefs(), dict(demo.transports))
    out: dict[str, Any] = {"rss_before": before}
    try:
        async with app.run_test(size=SIZE) as pilot:
            while app.main_screen is None or app.main_screen.entity is None:
                await pilot.pause(0.01)
            screen = app.main_screen
            rows = screen.query_one(RecordList)
            while rows.record_at(0) is None:
                await pilot.pause(0.01)
            out["rows"] = rows.row_count
            marks: dict[str, float] = {}
            paint, display, landed = rows._render_row, app._display, screen.finder._landed

            def on_landed(row: int | None) -> None:
                marks.setdefault("landed", time.perf_counter())
                if row == rows.cursor:  # no move: the row under the cursor is the result
                    marks.setdefault("painted", marks["landed"])
                landed(row)

            def watch(record: Any, is_cursor: bool, *args: Any) -> Any:
                # the matched row drawn with the cursor on it
                finder = screen.finder
                landed = "landed" in marks and finder.matches
                if is_cursor and record is not None and landed and rows.cursor == finder.matches[0]:
                    marks.setdefault("painted", time.perf_counter())
                return paint(record, is_cursor, *args)

            def show(on: Any, update: Any) -> None:
                if update is not None and hasattr(update, "render_segments"):
                    update.render_segments(app.console)  # what a terminal's driver would write
                display(on, update)
                if "painted" in marks:
                    marks.setdefault("shown", time.perf_counter())

            rows._render_row = watch  # type: ignore[method-assign,assignment]
            app._display = show  # type: ignore[method-assign,assignment]
            screen.finder._landed = on_landed  # type: ignore[method-assign]
            for key, chosen in texts.items():
                samples, parts, landed_rows = [], [], []
                for text in chosen:
                    await pilot.press("escape", "home")
                    await pilot.pause(0.3)  # the detail pane and the status settle
                    await pilot.press("slash", *text)
                    await pilot.pause(0.2)
                    marks.clear()
                    started = time.perf_counter()
                    app.post_message(events.Key("enter", "\r"))
                    limit = started + 30
                    while "shown" not in marks:
                        if time.perf_counter() > limit:
                            raise RuntimeError(f"{text!r}: no frame showed the result")
                        await asyncio.sleep(0.0005)
                    samples.append(marks["shown"] - started)
                    parts.append(marks["landed"] - started)
                    landed_rows.append(rows.cursor)
                    while any(
                        w.group == find.FIND_GROUP and not w.is_finished for w in screen.workers
                    ):
                        await asyncio.sleep(0.005)  # the count, after the landing
                    await pilot.pause(0.2)
                # the first round warms the caches
                out[key], out[f"{key}_landed"] = samples[1:], parts[1:]
                out[f"{key}_rows"] = landed_rows[1:]
            gc.collect()
            out["rss_open"] = rss_bytes()
    finally:
        demo.close()
    return out


def measure(data_dir: Path, count: int, cache: bool = True) -> list[Row]:
    """Every find row, from one built mirror (kept in the cache, reused by a later run)."""
    built = build(data_dir, count, CACHE if cache else None)
    chosen = pick(built["path"], built["layout"], REPEAT + 1)
    texts = {k: [q["text"] for q in runs] for k, runs in chosen["queries"].items()}
    done = subprocess.run(
        [sys.executable, "-m", "bench.find", str(data_dir), json.dumps(texts)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=bench_env(data_dir),
        timeout=1800,
        check=True,
    )
    got = json.loads(done.stdout.strip().splitlines()[-1])
    floor = frame_ref.measure(SIZE, REPEAT)  # the same kind of frame in a bare Textual app
    least = frame_ref.measure_repaint(SIZE, REPEAT)  # any new screenful, in the barest one
    rows: list[Row] = []
    for key, what, example in FIGURES:
        runs = chosen["queries"][key][1:]  # the warm-up round is not counted
        bare = median([bare_sqlite(built["path"], q["sql"], q["params"]) for q in runs])
        ours = median(got[key])
        ratio = ours / bare
        rows.append(
            Row(
                f"find_{key}",
                f"find by {what} in {count:,} mirrored leads, key to result on screen",
                f"{ours * 1000:.1f} ms",
                f"{bare * 1000:.1f} ms bare sqlite3 shell",
                ratio,
                "<= 1.5x and < 100 ms",
                judge(ratio, AT_MOST, 1.5) and ours < 0.1,
                note=f"{example}, e.g. {runs[0]['text']!r} (row {got[f'{key}_rows'][0] + 1:,}); "
                f"the cursor is placed {median(got[f'{key}_landed']) * 1000:.1f} ms after the "
                f"key, the rest is drawing the frame ({SIZE[0]}x{SIZE[1]}); a bare Textual app "
                f"(header, DataTable, footer) takes {floor * 1000:.1f} ms from a key to the frame "
                "of a jump to a far row, with no query at all, and a Textual app of one Static "
                f"{least * 1000:.1f} ms to put up a new screenful of text",
                details={
                    "samples": got[key],
                    "landed": got[f"{key}_landed"],
                    "bare_s": bare,
                    "bare_textual_jump_s": floor,
                    "bare_textual_repaint_s": least,
                    "sql": runs[0]["sql"],
                },
            )
        )
    mb = 1024 * 1024
    rss = got["rss_open"]
    rows.append(
        Row(
            "find_memory",
            f"TUI memory with the {count:,}-lead mirror open (after the searches)",
            f"{rss / mb:.0f} MB RSS",
            f"{built['json'] / mb:.0f} MB leads as JSON",
            rss / built["json"],
            "",
            None,
            note=f"{got['rss_before'] / mb:.0f} MB before the app started",
        )
    )
    rows.append(
        Row(
            "mirror_size",
            f"mirror on disk, {count:,} leads (table, email index, trigram index)",
            f"{built['size'] / mb:.0f} MB",
            f"{built['json'] / mb:.0f} MB as JSON",
            built["size"] / built["json"],
            "",
            None,
            note=f"built in {built['build_s']:.0f} s"
            + (f" (a copy kept in {built['cached']})" if built.get("cached") else ""),
        )
    )
    return rows


def measure_sync(data_dir: Path, records: int, repeat: int = 3) -> Row:
    """The first `crmtui mirror sync lead --full` of SharpSpring served at 10 calls/s in its own
    process, against the cap: the median of `repeat` first syncs (each into an empty mirror,
    after the vendor's window has emptied); the demo's in-process emulator synced once too,
    for comparison."""
    from bench.listing import serve
    from bench.startup import byte_compiled
    from crmtui.services.mirror import mirror_path

    byte_compiled()  # as an installed crmtui is: no sync compiles its modules from source first

    def sync(profile: list[str]) -> float:
        argv = python("-m", "crmtui", *profile, "mirror", "sync", "lead", "--full")
        elapsed = stopwatch()
        subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, cwd=REPO,
                       env=bench_env(data_dir), timeout=1800, check=True)  # fmt: skip
        return elapsed()

    def first_sync(profile: list[str], name: str) -> float:
        """A first sync: no mirror yet, and none of an earlier run's calls in the window."""
        path = mirror_path(name, data_dir)
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        time.sleep(1.1 * WINDOW_S)  # the vendor counts a call for a second after its answer
        return sync(profile)

    with serve(data_dir, "sharpspring", records) as served:
        profile = served.profile("sharpspring", mirror=True)
        runs = [first_sync(profile, "sandbox-sharpspring") for _ in range(max(1, repeat))]
    seconds = median(runs)
    in_process = sync(["--demo", "-p", "demo-sharpspring"])
    listed = active_leads(data_dir)
    rate = listed / seconds
    ratio = rate / SHARPSPRING_CAP
    local = listed / in_process / SHARPSPRING_CAP
    return Row(
        "mirror_sync_sharpspring",
        f"first mirror sync, SharpSpring at 10/s ({records:,}, active only)",
        f"{rate:,.0f} leads/s",
        f"{SHARPSPRING_CAP:,} leads/s cap",
        ratio,
        ">= 0.9",
        judge(ratio, AT_LEAST, 0.9),
        note=f"median of {len(runs)} first syncs, served in its own process; the demo's "
        f"emulator in process: {local:.2f}",
        details={
            "seconds": seconds,
            "runs_s": runs,
            "listed": listed,
            "in_process_s": in_process,
            "in_process_ratio": local,
        },
    )


if __name__ == "__main__":
    texts = json.loads(sys.argv[2])
    result = asyncio.run(in_tui(Path(sys.argv[1]), texts))
    print(json.dumps(result))
    time.sleep(0)
