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
import hashlib
import inspect
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.core import AT_LEAST, AT_MOST, Row, judge, median, stopwatch
from bench.listing import SHARPSPRING_CAP, active_leads
from bench.memory import rss_bytes
from bench.terminal import REPO, bench_env, python

FIRST = ("Ada", "Ben", "Chloe", "Dara", "Ewan", "Freya", "Hana", "Isla", "Jamal", "Kai", "Leo")
LAST = ("Smith", "Jones", "Kelly", "Patel", "Nguyen", "Rossi", "Dubois", "Khan", "Owen", "Lee")
CITIES = ("Leeds", "London", "Paris", "Berlin", "Dublin", "Bristol", "Glasgow", "Madrid")
REPEAT = 5
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "crmtui-bench"
"""Where a built mirror is kept between runs (the million-lead build takes minutes)."""


def _leads(count: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        # a few distinct last names, so a contains-search has a small answer somewhere
        if i % 50_000 == 17:
            last = f"Quenneville{i}"
        yield {
            "FirstName": first,
            "LastName": last,
            "Email": f"{first.lower()}.{last.lower()}{i}@example{i % 97}.com",
            "Phone": f"+44 20 {i:08d}",
            "Company": f"{rng.choice(LAST)} {rng.choice(('Ltd', 'LLP', 'Inc'))}",
            "City": rng.choice(CITIES),
            "Status": rng.choice(("New", "Open", "Won")),
            "Score": rng.randint(0, 100),
        }


def build(data_dir: Path, count: int, cache: Path | None = None) -> dict[str, Any]:
    """A CMDataManager demo with a mirror of `count` synthetic leads; sizes and JSON bytes.

    With `cache`, a mirror built before from the same leads, layout and schema is copied in
    instead of built again (the copy is kept there after a build).
    """
    from crmtui.model.filter import word_fields
    from crmtui.services.demo import open_demo
    from crmtui.services.mirror import CATALOGUE, Mirror
    from crmtui.services.mirror_sql import layout_for

    demo = open_demo(data_dir=data_dir, records=1_000)

    async def describe() -> tuple[Any, Any]:
        from crmtui.services.session import open_session

        profile = demo.config.profiles["demo-cmdatamanager"]
        session = await open_session(profile, transport=demo.transports[profile.name])
        try:
            return await session.backend.entity("lead"), await session.backend.fields("lead")
        finally:
            await session.aclose()

    spec, fields = asyncio.run(describe())
    demo.close()
    layout = layout_for("lead", fields, word_fields(fields, spec))
    mirror = Mirror.for_profile("demo-cmdatamanager", data_dir)
    mirror.close()
    made = [count, layout.columns_json(), *layout.schema(), CATALOGUE, sqlite3.sqlite_version]
    made += [inspect.getsource(f) for f in (_leads, _fill)]
    key = hashlib.sha256(json.dumps(made).encode()).hexdigest()[:16]
    kept = cache / f"find-{count}-{key}.sqlite3" if cache is not None else None
    meta = kept.with_suffix(".json") if kept is not None else None
    if kept is not None and meta is not None and kept.exists() and meta.exists():
        for side in ("", "-wal", "-shm"):
            Path(f"{mirror.path}{side}").unlink(missing_ok=True)
        shutil.copyfile(kept, mirror.path)
        os.chmod(mirror.path, 0o600)
        return {**json.loads(meta.read_text()), "path": str(mirror.path), "cached": str(kept)}
    built = {**_fill(mirror.path, layout, count), "path": str(mirror.path)}
    if kept is not None and meta is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        for old in kept.parent.glob(f"find-{count}-*"):
            old.unlink()  # an older layout's copy: never read again
        part = kept.with_suffix(".part")
        shutil.copyfile(mirror.path, part)
        part.rename(kept)
        meta.write_text(json.dumps(built))
    return built


def _fill(path: Path, layout: Any, count: int) -> dict[str, Any]:
    """Bulk-load `count` synthetic leads into the mirror at `path`, checkpointed to one file."""
    from crmtui.model import Record
    from crmtui.services.mirror import Mirror
    from crmtui.services.mirror_sql import row_of

    mirror = Mirror(path)
    mirror.clear("lead")
    json_bytes = 0
    elapsed = stopwatch()

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal json_bytes
        for i, values in enumerate(_leads(count)):
            rid = f"B{i:07d}"
            json_bytes += len(json.dumps({"id": rid, **values}, separators=(",", ":"))) + 1
            yield row_of(Record("lead", rid, values), layout, 0)

    mirror.bulk_load(layout, rows())
    mirror.mark_synced("lead", complete=True, cursor="2100-01-01T00:00:00+00:00")
    mirror.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    mirror.close()
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return {
        "layout": layout.columns_json(),
        "size": size,
        "json": json_bytes,
        "build_s": elapsed(),
    }


def pick(path: str, layout_json: str) -> dict[str, Any]:
    """An email deep in the mirror and a rare last-name fragment, with the bare SQL for each."""
    import sqlite3

    from crmtui.model.filter import parse
    from crmtui.services.mirror_sql import Layout, where_sql

    layout = Layout.from_json("lead", layout_json)
    db = sqlite3.connect(path)
    total = db.execute("SELECT count(*) FROM r_lead").fetchone()[0]
    email = db.execute(
        f"SELECT {layout.column('Email')} FROM r_lead WHERE k = ?", (int(total * 0.83),)
    ).fetchone()[0]
    db.close()
    fields = list(layout.fields)
    queries = {}
    for key, text in (("email", email), ("contains", "LastName~quennevil")):
        where, params = where_sql(parse(text, fields), layout)
        # the same search in the sqlite3 shell: the first match in the list's order
        sql = f"SELECT * FROM r_lead WHERE {where} ORDER BY k LIMIT 1"
        queries[key] = {"text": text, "sql": sql, "params": params}
    return {"total": total, "queries": queries}


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


async def in_tui(data_dir: Path, texts: dict[str, str]) -> dict[str, Any]:
    """Headless app on the mirrored lead list: key-to-first-result times and RSS."""
    from textual import events

    from crmtui.services.demo import open_demo
    from crmtui.ui import find
    from crmtui.ui.launch import app_for_config
    from crmtui.ui.prefs import memory_prefs
    from crmtui.ui.widgets.record_list import RecordList

    find.START_AFTER = 3600.0  # the background sync stays out of the measurement
    demo = open_demo(data_dir=data_dir, records=1_000)
    gc.collect()
    before = rss_bytes()
    app = app_for_config(demo.config, "demo-cmdatamanager", memory_prefs(), dict(demo.transports))
    out: dict[str, Any] = {"rss_before": before}
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            while app.main_screen is None or app.main_screen.entity is None:
                await pilot.pause(0.01)
            screen = app.main_screen
            rows = screen.query_one(RecordList)
            while rows.record_at(0) is None:
                await pilot.pause(0.01)
            out["rows"] = rows.row_count
            drawn: list[float] = []
            paint = rows._render_row

            def watch(record: Any, is_cursor: bool, *args: Any) -> Any:
                # the matched row drawn with the cursor on it: the result is on screen
                if is_cursor and record is not None and screen.finder.matches:
                    drawn.append(time.perf_counter())
                return paint(record, is_cursor, *args)

            rows._render_row = watch  # type: ignore[method-assign,assignment]
            for key, text in texts.items():
                samples = []
                for _ in range(REPEAT + 1):
                    await pilot.press("escape")
                    await pilot.press("slash", *text)
                    await pilot.pause(0.2)
                    drawn.clear()
                    started = time.perf_counter()
                    app.post_message(events.Key("enter", "\r"))
                    while not drawn:
                        await asyncio.sleep(0.0005)
                    samples.append(drawn[0] - started)
                    await pilot.pause(0.2)
                samples = samples[1:]  # the first round warms the caches
                out[key] = samples
                out[f"{key}_row"] = rows.cursor
            gc.collect()
            out["rss_open"] = rss_bytes()
    finally:
        demo.close()
    return out


def measure(data_dir: Path, count: int, cache: Path | None = CACHE) -> list[Row]:
    """Every find row, from one built mirror (kept in `cache`, reused by a later run)."""
    built = build(data_dir, count, cache)
    chosen = pick(built["path"], built["layout"])
    texts = {k: q["text"] for k, q in chosen["queries"].items()}
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
    rows: list[Row] = []
    for key, what in (("email", "exact email"), ("contains", "last name contains")):
        query = chosen["queries"][key]
        bare = median([bare_sqlite(built["path"], query["sql"], query["params"])
                       for _ in range(REPEAT)])  # fmt: skip
        ours = median(got[key])
        ratio = ours / bare
        rows.append(
            Row(
                f"find_{key}",
                f"find by {what} in {count:,} mirrored leads, key to first result on screen",
                f"{ours * 1000:.1f} ms",
                f"{bare * 1000:.1f} ms bare sqlite3 shell",
                ratio,
                "<= 1.5x and < 100 ms",
                judge(ratio, AT_MOST, 1.5) and ours < 0.1,
                note=f"{query['text']!r} lands on row {got[f'{key}_row'] + 1:,}",
                details={"samples": got[key], "bare_s": bare, "sql": query["sql"]},
            )
        )
    mb = 1024 * 1024
    rss = got["rss_open"]
    rows.append(
        Row(
            "find_memory",
            f"TUI memory with the {count:,}-lead mirror open",
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


def measure_sync(data_dir: Path, records: int) -> Row:
    """`crmtui mirror sync lead --full` of the SharpSpring demo against the 10 calls/s cap."""
    argv = python("-m", "crmtui", "--demo", "-p", "demo-sharpspring", "mirror", "sync", "lead",
                  "--full")  # fmt: skip
    elapsed = stopwatch()
    subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, cwd=REPO,
                   env=bench_env(data_dir), timeout=1800, check=True)  # fmt: skip
    seconds = elapsed()
    listed = active_leads(data_dir)
    rate = listed / seconds
    ratio = rate / SHARPSPRING_CAP
    return Row(
        "mirror_sync_sharpspring",
        f"first mirror sync, SharpSpring at 10/s ({records:,}, active only)",
        f"{rate:,.0f} leads/s",
        f"{SHARPSPRING_CAP:,} leads/s cap",
        ratio,
        ">= 0.9",
        judge(ratio, AT_LEAST, 0.9),
        details={"seconds": seconds, "listed": listed},
    )


if __name__ == "__main__":
    texts = json.loads(sys.argv[2])
    result = asyncio.run(in_tui(Path(sys.argv[1]), texts))
    print(json.dumps(result))
    time.sleep(0)
