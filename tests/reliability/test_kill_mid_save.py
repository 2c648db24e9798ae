"""kill -9 or a hung-up SSH session in the middle of a save loses nothing (real processes)."""

from __future__ import annotations

import json
import signal
import time

import pytest

from .conftest import Sandbox

pytestmark = pytest.mark.slow


def lead_ids(sandbox: Sandbox, count: int) -> list[str]:
    done = sandbox.run("list", "lead", "--limit", str(count), "--format", "json")
    assert done.returncode == 0, done.stderr
    return [str(row["id"]) for row in json.loads(done.stdout)]


def first_name(sandbox: Sandbox, lead: str) -> str:
    done = sandbox.run("get", "lead", lead, "--format", "json")
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["FirstName"])


def wait_for_in_flight(sandbox: Sandbox, lead: str, timeout: float = 30) -> None:
    """Until the journal on disk says the update of `lead` is being sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sandbox.data.glob("journal-*.jsonl"):
            lines = [json.loads(line) for line in path.read_text().splitlines() if line]
            mine = [e for e in lines if e.get("record_id") == lead]
            if mine and mine[-1]["state"] == "in flight":
                return
        time.sleep(0.02)
    raise AssertionError("the save never went in flight")


@pytest.fixture(scope="module")
def leads(sandbox: Sandbox) -> list[str]:
    return lead_ids(sandbox, 3)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGHUP], ids=["kill-9", "sighup"])
def test_a_save_killed_mid_request_is_listed_and_retry_applies_it(
    sandbox: Sandbox, leads: list[str], sig: signal.Signals
) -> None:
    lead = leads[0 if sig is signal.SIGKILL else 1]
    new = f"Killed{int(sig)}"
    sandbox.faults(latency=0.6)
    try:
        process = sandbox.start("update", "lead", lead, f"FirstName={new}", "--yes")
        wait_for_in_flight(sandbox, lead)
        process.send_signal(sig)
        process.communicate(timeout=10)  # reaps it and closes its pipes
        assert process.returncode == -int(sig)
    finally:
        sandbox.faults(latency=0.0)

    listed = sandbox.run("outbox")
    assert listed.returncode == 0, listed.stderr
    (line,) = [row for row in listed.stdout.splitlines() if lead in row]
    assert "interrupted" in line and f"FirstName={new}" in line
    entry_id = line.split()[0]

    retried = sandbox.run("outbox", "retry", entry_id, "--yes")
    assert retried.returncode == 0, retried.stderr
    assert f"{entry_id}: applied" in retried.stderr
    assert first_name(sandbox, lead) == new
    after = sandbox.run("outbox")
    assert lead not in after.stdout and "nothing pending" in after.stderr
