"""Start-up: launch to the first interactive frame, `crmtui --demo` against a bare Textual app.

Both run in a real pty at 120x36. The frame counts as interactive when the footer and the first
rows are on screen: for crmtui, the lead list's count label ("100 of 10,000"), which appears
once the first page has been drawn; for the bare app, its first table row.

crmtui's modules are byte-compiled first, as an installed package's are: Textual (the reference)
is, and a checkout run with PYTHONDONTWRITEBYTECODE=1 would otherwise compile ~160 modules from
source on every launch (about a third of a second on the 2-core machine).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.bare_app import READY
from bench.core import AT_MOST, Row, interleaved, judge, median
from bench.terminal import REPO, Pty, bench_env, python

FOOTER = "^p palette"


def byte_compiled() -> None:
    """Write crmtui's bytecode caches (as `pip install` does), so no launch compiles source."""
    import compileall

    compileall.compile_dir(REPO / "crmtui", quiet=2)


def launch(argv: list[str], env: dict[str, str], needles: list[str]) -> float:
    """Seconds from launch until every needle is on screen."""
    with Pty(argv, env) as term:
        return term.wait_for(needles)


def beside_floor(
    key: str,
    figure: str,
    limit: float,
    runs: tuple[Callable[[], float], Callable[[], float]],
    floor_what: str,
    env: dict[str, str],
    records: int,
    repeat: int,
    warmup: int,
) -> Row:
    """A start-up row: crmtui, the bare app and a floor (`runs`: crmtui's launch, the floor's),
    medians of interleaved launches; the floor in the row's note."""
    ours_run, floor_run = runs

    def bare_run() -> float:
        return launch(python("-m", "bench.bare_app"), env, [FOOTER, READY])

    ours, bare, floor = (
        median(s) for s in interleaved([ours_run, bare_run, floor_run], repeat, warmup)
    )
    ratio = ours / bare
    return Row(
        key,
        figure,
        f"{ours:.2f} s",
        f"{bare:.2f} s bare Textual app",
        ratio,
        f"<= {limit}x",
        judge(ratio, AT_MOST, limit),
        note=f"{floor_what}: {floor:.2f} s = {floor / bare:.2f}x",
        details={
            "crmtui_s": ours,
            "bare_s": bare,
            "floor_s": floor,
            "repeat": repeat,
            "records": records,
        },
    )


def measure(data_dir: Path, records: int, repeat: int, warmup: int = 1) -> Row:
    """The start-up row: medians of interleaved launches (one warm-up each)."""
    byte_compiled()
    env = bench_env(data_dir)
    crm = [FOOTER, f"of {records:,}"]
    return beside_floor(
        "startup",
        "start-up to first interactive frame (crmtui --demo)",
        1.3,
        (
            lambda: launch(python("-m", "crmtui", "--demo"), env, crm),
            lambda: launch(python("-m", "bench.bare_demo"), env, [FOOTER, READY]),
        ),
        "the demo's floor, bare app + one httpx GET to the demo's own emulator"
        " (bench/bare_demo.py)",
        env,
        records,
        repeat,
        warmup,
    )


def measure_profile(folder: Path, records: int, repeat: int, warmup: int = 1) -> Row:
    """`crmtui -p PROFILE` on a profile served by `crmtui sandbox serve` on loopback."""
    from bench.served import Served

    byte_compiled()
    with Served(folder, records) as served:
        env = bench_env(folder)
        argv = python("-m", "crmtui", "--config", str(served.config), "-p", "sandbox-cmdatamanager")
        floor_env = dict(env, BARE_URL=f"{served.url('cmdatamanager')}/api/v1/lead")
        return beside_floor(
            "startup_profile",
            "start-up to first interactive frame (crmtui -p PROFILE, loopback)",
            1.2,
            (
                lambda: launch(argv, env, [FOOTER, f"of {records:,}"]),
                lambda: launch(python("-m", "bench.bare_http"), floor_env, [FOOTER, READY]),
            ),
            "the fixed choices' floor, bare app + one httpx GET on loopback (bench/bare_http.py)",
            env,
            records,
            repeat,
            warmup,
        )


def measure_latency(folder: Path, records: int, repeat: int, latency: float = 0.25) -> Row:
    """First rows on a real profile when every request takes `latency` more: the extra time
    beside the same launch on a vendor answering at once (two servers, interleaved).

    No warm-up: the first launch of each signs in (no token kept yet), the median is the
    launches after it, which reuse the token as a returning user's do."""
    from bench.served import Served

    byte_compiled()
    (folder / "slow").mkdir(exist_ok=True)
    (folder / "fast").mkdir(exist_ok=True)
    with (
        Served(folder / "slow", records, latency) as slow,
        Served(folder / "fast", records) as fast,
    ):
        needles = [FOOTER, f"of {records:,}"]

        def first_rows(served: Served) -> float:
            # each server's launches keep their own data dir, as a user's one profile would: both
            # profiles have the same name, and sharing one dir would make every launch find the
            # other server's kept token and sign in again
            env = bench_env(served.config.parent)
            argv = python("-m", "crmtui", "--config", str(served.config))
            return launch([*argv, "-p", "sandbox-cmdatamanager"], env, needles)

        runs = [lambda: first_rows(slow), lambda: first_rows(fast)]
        waited, quick = (median(s) for s in interleaved(runs, repeat, 0))
    extra = waited - quick
    ratio = extra / latency
    limit = (latency + 0.1) / latency
    return Row(
        "latency_first_rows",
        f"first rows with {latency * 1000:.0f} ms a request (extra over an instant vendor)",
        f"+{extra:.2f} s",
        f"{latency:.2f} s a request",
        ratio,
        f"<= {limit:.1f}x",
        judge(ratio, AT_MOST, limit),
        details={"slow_s": waited, "fast_s": quick, "latency_s": latency, "repeat": repeat},
    )
