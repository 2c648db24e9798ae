"""Issue 14 finding 6: one pacer for every request of a profile, across concurrent workers and
processes: measured at the emulator, the busiest window never exceeds the vendor's limit."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .emulator import WINDOWS, Recorded, busiest_window, recorded_sandbox

WORKER = Path(__file__).with_name("pace_worker.py")
PROCESSES = 3


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    folder = tmp_path_factory.mktemp("recorded")
    with recorded_sandbox(folder, 300, ["leadsquared", "sharpspring"]) as sandbox:
        yield sandbox


def _run(recorded: Recorded, data: Path, command: list[str]) -> list[subprocess.Popen[str]]:
    env = {**os.environ, "CRMTUI_DATA_DIR": str(data)}
    return [
        subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for _ in range(PROCESSES)
    ]


def _measure(recorded: Recorded, vendor: str, processes: list[subprocess.Popen[str]]) -> int:
    """Wait for `processes`; the busiest window of their requests at the emulator."""
    limit, period = WINDOWS[vendor]
    before = len(recorded.arrivals[vendor])
    for process in processes:
        _, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
    arrivals = recorded.arrivals[vendor][before:]
    statuses = recorded.statuses[vendor][before:]
    busiest = busiest_window(arrivals, period)
    print(f"{vendor}: {len(arrivals)} requests, busiest {period:g} s window {busiest}/{limit}")
    assert len(arrivals) > limit * 1.5  # enough requests to overrun a window
    assert 429 not in statuses
    return busiest


@pytest.mark.parametrize("vendor", ["leadsquared", "sharpspring"])
def test_workers_of_several_processes_share_the_vendor_window(
    recorded: Recorded, tmp_path: Path, vendor: str
) -> None:
    limit, _ = WINDOWS[vendor]
    count = 20 if vendor == "leadsquared" else 25
    command = [sys.executable, str(WORKER), str(recorded.profiles), f"sandbox-{vendor}"]
    before = len(recorded.arrivals[vendor])
    processes = _run(recorded, tmp_path / "data", [*command, str(count), "8"])
    assert _measure(recorded, vendor, processes) / limit <= 1.0
    assert len(recorded.arrivals[vendor]) - before >= PROCESSES * count
