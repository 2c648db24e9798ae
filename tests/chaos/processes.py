"""Chaos across processes: several processes sharing one journal and one rate budget.

- `journal_run`: writer processes journal edits (queued -> in flight -> applied) through the
  real `Journal` while another process keeps loading it with a tiny compaction threshold; then
  every edit must be there, applied: the figure is lines lost.
- `pacing_run`: processes of one profile read through their real sessions, CONCURRENCY requests
  in flight each, against the sandbox served on loopback behind a recorder; the figure is the
  busiest window of arrivals at the emulator against the vendor's limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.hardening.emulator import WINDOWS, busiest_window, recorded_sandbox

ROOT = Path(__file__).resolve().parents[2]
PACE_WORKER = ROOT / "tests" / "hardening" / "pace_worker.py"
PROFILE = "chaos-shared"
ENTITIES = {"influencersoft": "group"}


@dataclass
class JournalReport:
    """What the shared-journal run found."""

    processes: int
    committed: int
    compactions: int
    lost: int


@dataclass
class PaceReport:
    """What one vendor's shared-budget run measured at the emulator."""

    vendor: str
    processes: int
    concurrency: int
    requests: int
    busiest: int
    limit: int
    period: float
    refused: int  # 429s and other rate refusals the emulator sent
    failed: int  # processes that did not finish cleanly

    @property
    def ratio(self) -> float:
        """Busiest window / limit (must be <= 1.0)."""
        return self.busiest / self.limit


def _python(*args: str, data: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "CRMTUI_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def journal_run(processes: int = 4, entries: int = 60) -> JournalReport:
    """`processes` writers of `entries` edits each, one compactor; lines lost at the end."""
    with tempfile.TemporaryDirectory(prefix="crmtui-chaos-journal-") as folder:
        data = Path(folder)
        stop = data / "stop"
        compactor = _python("-m", "tests.chaos.journal_worker", "compact", str(stop), data=data)
        writers = [
            _python("-m", "tests.chaos.journal_worker", "write", f"w{n}", str(entries), data=data)
            for n in range(processes)
        ]
        for writer in writers:
            _, err = writer.communicate(timeout=600)
            if writer.returncode != 0:
                raise RuntimeError(f"a journal writer failed:\n{err}")
        stop.touch()
        out, err = compactor.communicate(timeout=120)
        if compactor.returncode != 0:
            raise RuntimeError(f"the compactor failed:\n{err}")
        check = _python("-m", "tests.chaos.journal_worker", "count", str(processes),
                        str(entries), data=data)  # fmt: skip
        found, err = check.communicate(timeout=120)
        if check.returncode != 0:
            raise RuntimeError(f"the count failed:\n{err}")
    return JournalReport(processes, processes * entries, int(out), int(found))


def pacing_run(
    vendors: tuple[str, ...] = ("sharpspring", "leadsquared", "influencersoft"),
    *,
    processes: int = 3,
    concurrency: int = 8,
    requests: int = 20,
) -> list[PaceReport]:
    """For each vendor: `processes` processes of one profile, `requests` reads each."""
    reports: list[PaceReport] = []
    with tempfile.TemporaryDirectory(prefix="crmtui-chaos-pace-") as folder:
        base = Path(folder)
        with recorded_sandbox(base, 200, list(vendors)) as sandbox:
            for vendor in vendors:
                limit, period = WINDOWS[vendor]
                before = len(sandbox.arrivals[vendor])
                shown = len(sandbox.statuses[vendor])
                args = [str(PACE_WORKER), str(sandbox.profiles), f"sandbox-{vendor}",
                        str(requests), str(concurrency), ENTITIES.get(vendor, "lead")]  # fmt: skip
                runs = [_python(*args, data=base / f"data-{vendor}") for _ in range(processes)]
                failed = sum(1 for run in runs if run.wait(timeout=600) != 0)
                for run in runs:
                    run.communicate()
                arrivals = sandbox.arrivals[vendor][before:]
                refused = sum(1 for s in sandbox.statuses[vendor][shown:] if s == 429)
                reports.append(
                    PaceReport(vendor, processes, concurrency, len(arrivals),
                               busiest_window(arrivals, period), limit, period, refused, failed)
                )  # fmt: skip
    return reports


def journal_table(report: JournalReport) -> str:
    """The shared-journal figures as one line."""
    return (
        f"journal: {report.processes} processes writing one journal while another compacts it "
        f"({report.compactions} loads): {report.committed} edits, {report.lost} lines lost"
    )


def pace_table(reports: list[PaceReport]) -> str:
    """The shared-budget figures as a table."""
    lines = [
        f"{'vendor':<15}{'procs':>6}{'conc':>6}{'requests':>9}{'window':>9}{'busiest':>9}"
        f"{'limit':>6}{'ratio':>7}{'429s':>6}{'failed':>7}"
    ]
    for r in reports:
        lines.append(
            f"{r.vendor:<15}{r.processes:>6}{r.concurrency:>6}{r.requests:>9}{r.period:>8g}s"
            f"{r.busiest:>9}{r.limit:>6}{r.ratio:>7.2f}{r.refused:>6}{r.failed:>7}"
        )
    return "\n".join(lines)
