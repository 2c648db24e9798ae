"""`crmtui --demo copy`: a lead copied to another vendor once, updated on the second copy; a
saved view copied as a planned batch that refuses changed rows and reverts as one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from crmtui.services.views import View, Views

SRC, DST = "demo-cmdatamanager", "demo-sharpspring"


def crmtui(*words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crmtui", "--demo", *words],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def ok(*words: str) -> str:
    result = crmtui(*words)
    assert result.returncode == 0, result.stderr
    return result.stdout


def listed(profile: str, where: str) -> list[dict[str, Any]]:
    out = ok("list", "lead", "-p", profile, "--where", where, "--format", "json", "--all")
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def test_copy_creates_once_then_updates_only_what_changed() -> None:
    lead = json.loads(ok("list", "lead", "-p", SRC, "--limit", "1", "--format", "json"))[0]
    email = lead["Email"]
    first = ok("copy", "lead", lead["id"], "--from", SRC, "--to", DST, "--yes")
    assert "create (no record there has this email)" in first
    assert f"Email: {email!r} -> emailAddress" in first
    unmapped = first.split("unmapped source fields")[1]
    assert "Owner:" in unmapped and "Score:" in unmapped  # every field left out is listed
    (made,) = listed(DST, email)
    assert made["firstName"] == lead["FirstName"]

    ok("update", "lead", lead["id"], "-p", SRC, "Phone=+44 20 7946 0000", "--yes")
    second = ok("copy", "lead", lead["id"], "--from", SRC, "--to", DST, "--yes")
    assert f"update {made['id']} (same email)" in second
    changed = [line for line in second.splitlines() if line.endswith("  *")]
    assert changed == [line for line in changed if "phoneNumber" in line] and changed
    (again,) = listed(DST, email)  # still one: no duplicate
    assert again["id"] == made["id"] and again["phoneNumber"] == "+44 20 7946 0000"


def test_a_view_copies_as_a_batch_refusing_changed_rows_and_reverting_as_one(
    tmp_path: Path,
) -> None:
    Views().save(SRC, View("shared", "lead", "Email~crossover-demo.test"))
    plan = tmp_path / "plan.json"
    said = ok("copy", "--view", "shared", "--from", SRC, "--to", DST, "--plan", str(plan))
    data = json.loads(plan.read_text())
    assert len(data["rows"]) == 3 and "3 update" in said  # all three already in the target
    rows = {r["source_id"]: r for r in data["rows"]}
    changed_id, *others = sorted(rows)
    ok("update", "lead", changed_id, "-p", SRC, "JobTitle=Chief Copy Officer", "--yes")
    ok("update", "lead", others[0], "-p", SRC, "City=Carlisle", "--yes")  # the batch carries it
    # re-plan the two unchanged rows so their fingerprints are current, keep the stale one
    fresh = tmp_path / "fresh.json"
    ok("copy", "--view", "shared", "--from", SRC, "--to", DST, "--plan", str(fresh))
    newer = {r["source_id"]: r for r in json.loads(fresh.read_text())["rows"]}
    data["rows"] = [newer[others[0]], newer[others[1]], rows[changed_id]]
    plan.write_text(json.dumps(data))

    result = crmtui("copy", "--apply", str(plan), "--from", SRC, "--to", DST, "--yes")
    assert result.returncode == 1, result.stderr
    assert f"{changed_id} -> -: refused (changed since the plan)" in result.stdout
    assert "updated" in result.stdout
    target_id = newer[others[0]]["target_id"]
    assert ok("get", "lead", target_id, "-p", DST, "--format", "json").count("Carlisle") == 1

    ok("copy", "--revert", data["batch"], "--to", DST, "--yes")
    back = json.loads(ok("get", "lead", target_id, "-p", DST, "--format", "json"))
    assert back["city"] != "Carlisle"
