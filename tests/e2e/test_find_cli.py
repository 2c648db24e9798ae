"""`crmtui list --where`, `get` by email and the mirror, as a user runs them on the demo."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from crmtui.sandbox.store import Store

from .conftest import DEMO_STORE
from .terminal import CRMTUI, REPO, base_env

# vendor profile -> (store namespace, email field, last-name field)
LISTABLE = {
    "demo-sharpspring": ("sharpspring", "emailAddress", "lastName"),
    "demo-leadsquared": ("leadsquared", "EmailAddress", "LastName"),
    "demo-cmdatamanager": ("cmdatamanager", "Email", "LastName"),
}


def run(data: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*CRMTUI, "--demo", *args],
        env=base_env(data),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return done


def lead_with_unique_email(data: Path, namespace: str, email_field: str) -> tuple[str, str]:
    store = Store(data / DEMO_STORE)
    try:
        rows = store.list(namespace, "lead", offset=0, limit=200)
    finally:
        store.close()
    emails = [str(v.get(email_field) or v.get("_email") or "") for _, v in rows]
    for (rid, _), email in zip(rows, emails, strict=True):
        if email and emails.count(email) == 1:
            return rid, email
    raise AssertionError("no lead with a unique email")


def jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("profile", sorted(LISTABLE))
def test_where_email_prints_that_one_lead(demo_dir: Path, profile: str) -> None:
    namespace, email_field, _ = LISTABLE[profile]
    rid, email = lead_with_unique_email(demo_dir, namespace, email_field)
    done = run(demo_dir, "-p", profile, "list", "lead", "--where", email, "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    rows = jsonl(done.stdout)
    assert [str(r["id"]) for r in rows] == [rid]
    assert str(rows[0][email_field]).casefold() == email.casefold()
    got = run(demo_dir, "-p", profile, "get", "lead", email.upper(), "--format", "json")
    assert got.returncode == 0, got.stderr
    assert str(json.loads(got.stdout)["id"]) == rid


def test_multi_condition_and_hints(demo_dir: Path) -> None:
    profile = "demo-cmdatamanager"
    where = 'lastname~kel "City"=Leeds Score>40'
    done = run(demo_dir, "-p", profile, "list", "lead", "--all", "--where", where,
               "--format", "jsonl")  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = jsonl(done.stdout)
    assert rows, "the demo has Kellys in Leeds"
    for row in rows:
        assert "kel" in str(row["LastName"]).lower()
        assert str(row["City"]).lower() == "leeds"
        assert int(str(row["Score"])) > 40
    bad = run(demo_dir, "-p", profile, "list", "lead", "--where", "emial=a@b.co")
    assert bad.returncode != 0
    assert "did you mean Email?" in bad.stderr


def test_mirror_answers_and_follows_writes(demo_dir: Path) -> None:
    profile = "demo-sharpspring"
    rid, email = lead_with_unique_email(demo_dir, "sharpspring", "emailAddress")
    synced = run(demo_dir, "-p", profile, "mirror", "sync", "lead", "--progress")
    assert synced.returncode == 0, synced.stderr
    assert "mirrored" in synced.stderr and "[###" in synced.stderr
    status = run(demo_dir, "-p", profile, "mirror", "status")
    assert "lead" in status.stdout and "synced just now" in status.stdout
    mirror_files = list((demo_dir / "mirror").glob("demo-sharpspring-*.sqlite3"))
    assert mirror_files and mirror_files[0].stat().st_mode & 0o777 == 0o600

    found = run(demo_dir, "-p", profile, "list", "lead", "--where", email, "--format", "jsonl")
    assert "local copy, synced just now" in found.stderr
    assert [str(r["id"]) for r in jsonl(found.stdout)] == [rid]

    # crmtui's own write reaches the mirror at once (no sync in between)
    updated = run(demo_dir, "-p", profile, "update", "lead", rid, "lastName=Quenneville", "--yes")
    assert updated.returncode == 0, updated.stderr
    mine = run(demo_dir, "-p", profile, "list", "lead", "--where", "lastName=quenneville",
               "--format", "jsonl")  # fmt: skip
    assert "local copy" in mine.stderr
    assert [str(r["id"]) for r in jsonl(mine.stdout)] == [rid]

    # another client writes through the vendor's API: the next sync brings it in
    params = json.dumps({"objects": [{"id": rid, "lastName": "Outsidewriter"}]})
    other = run(demo_dir, "-p", profile, "call", "updateLeads", params, "--yes")
    assert other.returncode == 0, other.stderr
    stale = run(demo_dir, "-p", profile, "list", "lead", "--where", "lastName=Outsidewriter")
    assert rid not in stale.stdout  # the copy does not know yet
    again = run(demo_dir, "-p", profile, "mirror", "sync", "lead")
    assert again.returncode == 0, again.stderr
    fresh = run(demo_dir, "-p", profile, "list", "lead", "--where", "lastName~outsidewr",
                "--format", "jsonl")  # fmt: skip
    assert [str(r["id"]) for r in jsonl(fresh.stdout)] == [rid]
    assert "local copy" in fresh.stderr


def test_list_by_a_saved_view(demo_dir: Path) -> None:
    from crmtui.services.views import View, Views

    views = Views(demo_dir / "views.json")
    views.save(
        "demo-cmdatamanager",
        View(
            "Leeds Kellys", "lead", "lastname~kel City=Leeds", "Score:desc", ("LastName", "Score")
        ),
    )
    done = run(demo_dir, "-p", "demo-cmdatamanager", "list", "--view", "leeds kellys", "--all",
               "--format", "jsonl")  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = jsonl(done.stdout)
    assert rows and all(set(r) == {"id", "LastName", "Score"} for r in rows)
    assert all("kel" in str(r["LastName"]).lower() for r in rows)
    scores = [int(str(r["Score"])) for r in rows]
    assert scores == sorted(scores, reverse=True)
    missing = run(demo_dir, "-p", "demo-cmdatamanager", "list", "--view", "nope")
    assert missing.returncode != 0 and "Leeds Kellys" in missing.stderr
