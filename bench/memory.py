"""Memory: RSS after paging down through every lead in a Pilot-driven app, against their JSON.

Runs in a subprocess of its own (`python -m bench.memory DATA_DIR`) so nothing else the suite
did counts; it prints one JSON line: RSS before and after the scroll, rows held, JSON bytes.
"""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.core import AT_MOST, Row, judge
from bench.terminal import REPO, bench_env


def rss_bytes() -> int:
    """This process's resident set size now (VmRSS)."""
    with open("/proc/self/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def scroll_all(data_dir: Path) -> dict[str, Any]:
    """Open the lead list, page down to its last row (every page loaded), measure."""
    from bench.ui_scroll import demo_app, wait_rows
    from crmtui.ui.widgets.record_list import RecordList

    async with demo_app(data_dir) as (app, _pilot):
        rows = app.main_screen.query_one(RecordList)
        gc.collect()
        before = rss_bytes()
        total = rows.row_count
        while rows.cursor < total - 1:
            rows.action_page(1)
            await wait_rows(rows, rows.cursor, min(rows.cursor + rows.size.height, total - 1))
        await app.workers.wait_for_complete()
        gc.collect()
        after = rss_bytes()
        held = [{"id": r.id, **r.raw} for r in rows.rows.values()]
        size = len(json.dumps(held, ensure_ascii=False, separators=(",", ":")).encode())
        return {"before": before, "after": after, "rows": len(held), "json": size, "total": total}


def measure(data_dir: Path, records: int) -> Row:
    """The memory row, from a fresh subprocess."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=bench_env(data_dir),
        timeout=900,
        check=True,
    )
    got = json.loads(done.stdout.strip().splitlines()[-1])
    growth = got["after"] - got["before"]
    ratio = growth / got["json"]
    mb = 1024 * 1024
    return Row(
        "memory",
        f"RSS growth scrolling through all {records:,} leads",
        f"{growth / mb:.1f} MB",
        f"{got['json'] / mb:.1f} MB as JSON",
        ratio,
        "<= 2x",
        judge(ratio, AT_MOST, 2.0),
        note=f"RSS {got['before'] / mb:.0f} MB with the list open, {got['after'] / mb:.0f} MB "
        f"after all {got['rows']:,} rows; the growth is what the leads cost",
        details=got,
    )


if __name__ == "__main__":
    print(json.dumps(asyncio.run(scroll_all(Path(sys.argv[1])))))
