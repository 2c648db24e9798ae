"""Issue 14 finding 8: a read-only, full or missing data dir ends a write with a clear message
naming the path, exit 73, the truth about what was kept, and no empty file left behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from .conftest import Served, crmtui

PROFILE = "sandbox-cmdatamanager"


def _first_lead(served: Served, data: Path) -> dict[str, str]:
    out = crmtui(
        "list", "lead", "--limit", "1", "--format", "json", "-p", PROFILE,
        data=data, config=served.profiles,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    row: dict[str, str] = json.loads(out.stdout)[0]
    return row


def _read_only_wrapper() -> Sequence[str]:
    """What makes a chmod 0500 dir read-only for the crmtui process (root ignores modes)."""
    if os.geteuid() != 0:
        return ()
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "--user", "true"]).returncode != 0:
        pytest.skip("running as root without user namespaces: cannot make a dir read-only")
    return (unshare, "--user")


def _update(served: Served, data: Path, lead: str, wrap: Sequence[str] = ()) -> Any:
    return crmtui(
        "update", "lead", lead, "FirstName=Zed", "-y", "-p", PROFILE,
        data=data, config=served.profiles, wrap=wrap,
    )  # fmt: skip


def _assert_clear(result: subprocess.CompletedProcess[str], where: Path) -> None:
    assert result.returncode == 73, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert str(where) in result.stderr
    assert "nothing was sent and nothing was kept" in result.stderr
    assert "are kept in the journal" not in result.stderr


def test_read_only_data_dir(served: Served, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    lead = _first_lead(served, data)
    wrap = _read_only_wrapper()
    data.chmod(0o500)
    try:
        result = _update(served, data, lead["id"], wrap)
        listing = crmtui(
            "list", "lead", "--limit", "2", "-p", PROFILE, data=data, config=served.profiles,
            wrap=wrap,
        )  # fmt: skip
    finally:
        data.chmod(0o700)
    _assert_clear(result, data)
    assert "Permission denied" in result.stderr
    assert listing.returncode == 0, listing.stderr  # reading still works
    assert _first_lead(served, tmp_path / "other")["FirstName"] == lead["FirstName"]
    assert [p.name for p in data.iterdir() if p.is_file() and p.stat().st_size == 0] == []


def test_full_disk(served: Served, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    lead = _first_lead(served, data)
    journal = data / f"journal-{PROFILE}.jsonl"
    journal.symlink_to("/dev/full")  # every write: No space left on device
    result = _update(served, data, lead["id"])
    _assert_clear(result, journal)
    assert "No space left on device" in result.stderr
    assert _first_lead(served, tmp_path / "other")["FirstName"] == lead["FirstName"]


def test_missing_data_dir_that_cannot_be_made(served: Served, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a dir")
    lead = _first_lead(served, tmp_path / "ok")
    result = _update(served, blocker / "data", lead["id"])
    assert result.returncode == 73, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert str(blocker / "data") in result.stderr and "Not a directory" in result.stderr


def test_call_in_a_read_only_data_dir_says_only_the_history_is_missing(
    served: Served, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    wrap = _read_only_wrapper()
    data.chmod(0o500)
    try:
        result = crmtui(
            "call", "GET", "/lead/fields", "-p", PROFILE,
            data=data, config=served.profiles, wrap=wrap,
        )  # fmt: skip
    finally:
        data.chmod(0o700)
    assert result.returncode == 0, result.stderr
    assert "the call was sent, but not added to the history" in result.stderr
    assert str(data) in result.stderr and "unexpected" not in result.stderr
