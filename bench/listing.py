"""`crmtui list lead --all`: against CMDataManager with no cap (reference: a bare httpx loop) and
against SharpSpring at its 10 calls/s cap (reference: the cap, 10 x 500 = 5,000 leads/s), also
with 250 ms added to every request.

Both vendors are `crmtui sandbox serve` in a process of their own, on loopback, serving the
run's demo store (a real vendor's work is not done on the user's CPU, so crmtui's work overlaps
the vendor's as it would). The SharpSpring rows also time the demo's emulator in process,
interleaved, and keep that figure in their note and details for comparison: there the vendor's
work (some 45 ms a page) and ours share one thread. Each listing is timed as a whole command in
a subprocess, start-up included, output to /dev/null.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.core import AT_LEAST, Row, interleaved, judge, median, not_measured, stopwatch
from bench.served import Served
from bench.terminal import REPO, bench_env, python

SHARPSPRING_CAP = 10 * 500  # calls per second x objects per call
LATENCY = 0.25  # seconds added to every request by the latency rows


def timed(argv: list[str], data_dir: Path, **env: str) -> float:
    """Wall seconds of `argv`, which must succeed."""
    elapsed = stopwatch()
    subprocess.run(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=bench_env(data_dir, **env),
        timeout=900,
        check=True,
    )
    return elapsed()


def list_all(vendor: str, served: Served | None = None) -> list[str]:
    """The command: every lead of `vendor`'s demo profile, or of its served profile."""
    profile = served.profile(vendor) if served else ["--demo", "-p", f"demo-{vendor}"]
    return python("-m", "crmtui", *profile, "list", "lead", "--all")


def serve(data_dir: Path, vendor: str, records: int, latency: float = 0.0) -> Served:
    """The demo store of `data_dir`, `vendor` only, served from a process of its own."""
    from crmtui.services.demo import demo_store_path

    folder = data_dir / f"served-{vendor}-{int(latency * 1000)}"
    folder.mkdir(exist_ok=True)
    store = demo_store_path(data_dir)
    return Served(folder, records, latency, data=store, vendors=(vendor,))


def measure_cmd(data_dir: Path, records: int, repeat: int, warmup: int = 1) -> Row:
    """crmtui against the bare loop on the same served CMDataManager pages, interleaved."""
    with serve(data_dir, "cmdatamanager", records) as served:
        url = served.url("cmdatamanager")
        runs = [
            lambda: timed(list_all("cmdatamanager", served), data_dir),
            lambda: timed(python("-m", "bench.bare_fetch", url), data_dir),
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
        note="both against `crmtui sandbox serve` in its own process",
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


def measure_sharpspring(data_dir: Path, records: int, repeat: int, latency: float = 0.0) -> Row:
    """crmtui against SharpSpring served at 10 calls/s (`latency` a request), against the cap;
    the demo's in-process emulator timed in the same rounds, for comparison."""
    key = "list_sharpspring" + ("_latency" if latency else "")
    slow = f", {latency * 1000:.0f} ms a request" if latency else ""
    figure = f"crmtui list lead --all, SharpSpring at 10/s{slow} ({records:,}, active only)"
    target = ">= 0.9" if latency else ">= 0.95"
    why = sharpspring_ready()
    if why is not None:
        return not_measured(key, figure, why, target)
    slower = {"CRMTUI_DEMO_LATENCY": str(latency)} if latency else {}
    with serve(data_dir, "sharpspring", records, latency) as served:
        runs = [
            lambda: timed(list_all("sharpspring", served), data_dir),
            lambda: timed(list_all("sharpspring"), data_dir, **slower),
        ]
        samples = interleaved(runs, repeat)
    seconds, in_process = (median(s) for s in samples)
    listed = active_leads(data_dir)  # without a `where`, getLeads lists only active leads
    rate = listed / seconds
    ratio = rate / SHARPSPRING_CAP
    local = listed / in_process / SHARPSPRING_CAP
    return Row(
        key,
        figure,
        f"{rate:,.0f} leads/s",
        f"{SHARPSPRING_CAP:,} leads/s cap",
        ratio,
        target,
        judge(ratio, AT_LEAST, float(target.split()[-1])),
        note=f"served in its own process; the demo's emulator in process: {local:.2f}",
        details={
            "seconds": seconds,
            "runs_s": samples[0],
            "in_process_s": in_process,
            "in_process_runs_s": samples[1],
            "in_process_ratio": local,
            "records": records,
            "listed": listed,
            "repeat": repeat,
        },
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
