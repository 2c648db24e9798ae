"""SharpSpring through the CLI, as a user runs it, against `crmtui sandbox serve` (issue 13)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serving import Server, sandbox_serve

GHOST = "99999999999"  # no such lead: the vendor answers a ghost holding only leadStatus "open"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with sandbox_serve(tmp_path_factory.mktemp("ss-served"), records=120) as server:
        yield server


def crmtui(served: Server, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`crmtui -p sandbox-sharpspring ARGS` in a subprocess, its journal under `data`."""
    command = [sys.executable, "-m", "crmtui", "--config", str(served.profiles)]
    return subprocess.run(
        [*command, "-p", "sandbox-sharpspring", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CRMTUI_DATA_DIR": str(data)},
        stdin=subprocess.DEVNULL,
    )


def test_get_an_unknown_lead_exits_4(served: Server, tmp_path: Path) -> None:
    result = crmtui(served, tmp_path, "get", "lead", GHOST)
    assert result.returncode == 4, result.stdout
    assert "not found" in result.stderr.lower() and GHOST in result.stderr
    assert "leadStatus" not in result.stdout


def test_delete_an_unknown_lead_fails_and_is_not_journaled_as_applied(
    served: Server, tmp_path: Path
) -> None:
    result = crmtui(served, tmp_path, "delete", "lead", GHOST, "--yes")
    assert result.returncode != 0
    assert "deleted" not in result.stderr.lower() and "not found" in result.stderr.lower()
    journal = "\n".join(p.read_text() for p in tmp_path.rglob("journal-*.jsonl"))
    assert '"applied"' not in journal


def test_csv_and_get_show_the_id_once_and_values_decoded(served: Server, tmp_path: Path) -> None:
    listed = crmtui(served, tmp_path, "list", "lead", "--limit", "120", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    header = listed.stdout.splitlines()[0].split(",")
    assert header.count("id") == 1
    assert "&amp;" not in listed.stdout
    shown = crmtui(served, tmp_path, "get", "lead", "321000040")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert sum(1 for line in lines if line.split()[:1] == ["id"]) == 1
    assert any("Procter & Gamble" in line for line in lines)
    as_json = json.loads(
        crmtui(served, tmp_path, "get", "lead", "321000040", "--format", "json").stdout
    )
    assert as_json["companyName"] == "Procter & Gamble" and as_json["id"] == "321000040"


def test_a_leads_lists_and_activity_from_the_cli(served: Server, tmp_path: Path) -> None:
    added = crmtui(served, tmp_path, "action", "lead", "321000012", "add_to_list",
                   "listID=Customers", "--yes")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "added to list Customers" in added.stdout
    shown = crmtui(served, tmp_path, "get", "lead", "321000012", "--related")
    assert shown.returncode == 0, shown.stderr
    assert "Lists: 1" in shown.stdout and "Customers" in shown.stdout
    assert "Recent activity:" in shown.stdout
    forms = crmtui(served, tmp_path, "list", "event", "--where", "eventSource=formSubmit",
                   "--format", "json")  # fmt: skip
    assert forms.returncode == 0, forms.stderr
    events = json.loads(forms.stdout)
    assert events and {e["eventSource"] for e in events} == {"formSubmit"}


def test_watch_leads_narrowed_to_some_email_addresses(served: Server, tmp_path: Path) -> None:
    wanted = "ada.watched@example.test,GRACE.watched@example.test"
    command = [sys.executable, "-m", "crmtui", "--config", str(served.profiles), "watch", "lead"]
    command += ["-p", "sandbox-sharpspring", "--where", f"emailAddress={wanted}"]
    command += ["--interval", "0.5", "--format", "jsonl"]
    env = {**os.environ, "CRMTUI_DATA_DIR": str(tmp_path)}
    watch = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    rows: list[dict[str, Any]] = []
    try:
        assert watch.stderr is not None and watch.stdout is not None
        assert "watching leads" in watch.stderr.readline()  # started: later leads are new
        for name in ("ada", "bob", "grace"):
            made = crmtui(served, tmp_path, "create", "lead",
                          f"emailAddress={name}.watched@example.test", "--yes")  # fmt: skip
            assert made.returncode == 0, made.stderr
        while len(rows) < 2:  # ada, then grace (bob never: not among the addresses)
            line = watch.stdout.readline()
            assert line, watch.stderr.read()
            rows.append(json.loads(line))
        time.sleep(1.5)  # three more polls: bob would have shown by now
    finally:
        watch.send_signal(signal.SIGINT)
        out, _ = watch.communicate(timeout=30)
    rows += [json.loads(line) for line in out.splitlines()]
    emails = sorted(row["emailAddress"] for row in rows)
    assert emails == ["ada.watched@example.test", "grace.watched@example.test"]
    assert all(row["change"] == "new" for row in rows)
