"""`crmtui list lead --all`: against CMDataManager with no cap (reference: a bare httpx loop) and
against SharpSpring at its 10 calls/s cap (reference: the cap, 10 x 500 = 5,000 leads/s).

Both are timed as whole commands in subprocesses, start-up included, output to /dev/null.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.core import AT_LEAST, Row, interleaved, judge, median, not_measured, stopwatch
from bench.terminal import REPO, bench_env, python

SHARPSPRING_CAP = 10 * 500  # calls per second x objects per call


def timed(argv: list[str], data_dir: Path) -> float:
    """Wall seconds of `argv`, which must succeed."""
    elapsed = stopwatch()
    subprocess.run(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=bench_env(data_dir),
        timeout=900,
        check=True,
    )
    return elapsed()


def list_all(vendor: str) -> list[str]:
    """The command: every lead of the demo profile of `vendor` (the default table format)."""
    return python("-m", "crmtui", "--demo", "-p", f"demo-{vendor}", "list", "lead", "--all")


def measure_cmd(data_dir: Path, records: int, repeat: int, warmup: int = 1) -> Row:
    """crmtui against the bare loop on the same CMDataManager pages, interleaved."""
    runs = [
        lambda: timed(list_all("cmdatamanager"), data_dir),
        lambda: timed(python("-m", "bench.bare_fetch", str(data_dir)), data_dir),
    ]
    ours, bare = (median(s) for s in interleaved(runs, repeat, warmup))
    ratio = (records / ours) / (records / bare)
    return Row(
        "list_cmd",
        f"crmtui list lead --all, CMDataManager, no cap ({records:,})",
        f"{records / ours:,.0f} leads/s",
        f"{records / bare:,.0f} leads/s bare httpx loop",
        ratio,
        ">= 0.9",
        judge(ratio, AT_LEAST, 0.9),
        details={"crmtui_s": ours, "bare_s": bare, "records": records, "repeat": repeat},
    )


def sharpspring_ready() -> str | None:
    """Why the SharpSpring row cannot run, or None when it can."""
    from crmtui.backends import registry
    from crmtui.sandbox import vendors

    if "sharpspring" not in registry.names():
        return "no SharpSpring backend yet"
    if "sharpspring" not in vendors.names():
        return "no SharpSpring sandbox yet"
    return None


def measure_sharpspring(data_dir: Path, records: int, repeat: int) -> Row:
    """crmtui against the SharpSpring sandbox, paced at 10 calls/s, against the cap."""
    figure = f"crmtui list lead --all, SharpSpring at 10/s ({records:,}, active only)"
    why = sharpspring_ready()
    if why is not None:
        return not_measured("list_sharpspring", figure, why, ">= 0.95")
    seconds = median([timed(list_all("sharpspring"), data_dir) for _ in range(repeat)])
    listed = active_leads(data_dir)  # without a `where`, getLeads lists only active leads
    rate = listed / seconds
    ratio = rate / SHARPSPRING_CAP
    return Row(
        "list_sharpspring",
        figure,
        f"{rate:,.0f} leads/s",
        f"{SHARPSPRING_CAP:,} leads/s cap",
        ratio,
        ">= 0.95",
        judge(ratio, AT_LEAST, 0.95),
        details={"seconds": seconds, "records": records, "listed": listed, "repeat": repeat},
    )


def active_leads(data_dir: Path) -> int:
    """How many leads a SharpSpring `list lead --all` returns: the active ones."""
    from crmtui.sandbox.store import Store
    from crmtui.services.demo import demo_store_path

    store = Store(demo_store_path(data_dir))
    try:
        return store.count("sharpspring", "lead")
    finally:
        store.close()
