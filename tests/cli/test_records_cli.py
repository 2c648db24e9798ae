"""The headless CLI against `crmtui sandbox serve` over real loopback HTTP, in subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Served, crmtui


def first_lead_id(served: Served) -> str:
    result = crmtui("list", "lead", "--limit", "1", "--format", "json", config=served.profiles)
    assert result.returncode == 0, result.stderr
    lead_id: str = json.loads(result.stdout)[0]["id"]
    return lead_id


def test_serve_prints_a_profile_that_works(served: Served) -> None:
    text = served.profiles.read_text()
    assert f"127.0.0.1:{served.port}" in text
    assert 'vendor = "cmdatamanager"' in text


def test_list_25_leads_as_json(served: Served) -> None:
    result = crmtui("list", "lead", "--limit", "25", "--format", "json", config=served.profiles)
    assert result.returncode == 0, result.stderr
    leads = json.loads(result.stdout)
    assert len(leads) == 25
    assert {"id", "FirstName", "LastName", "Email"} <= set(leads[0])


def test_update_then_get_shows_the_change(served: Served) -> None:
    lead_id = first_lead_id(served)
    result = crmtui("update", "lead", lead_id, "FirstName=Ada", config=served.profiles)
    assert result.returncode == 0, result.stderr
    assert "FirstName" in result.stderr and "Ada" in result.stderr
    shown = crmtui("get", "lead", lead_id, "--format", "json", config=served.profiles)
    assert json.loads(shown.stdout)["FirstName"] == "Ada"


def test_create_and_delete(served: Served) -> None:
    made = crmtui(
        "create",
        "lead",
        "LastName=Lovelace",
        "Email=ada@example.org",
        "--format",
        "json",
        config=served.profiles,
    )
    assert made.returncode == 0, made.stderr
    new_id = json.loads(made.stdout)["id"]
    gone = crmtui("delete", "lead", new_id, config=served.profiles)
    assert gone.returncode == 0, gone.stderr
    missing = crmtui("get", "lead", new_id, config=served.profiles)
    assert missing.returncode == 4
    assert "not found" in missing.stderr.lower()


def test_list_all_pages_through_everything_in_order(served: Served) -> None:
    result = crmtui(
        "list",
        "lead",
        "--all",
        "--format",
        "jsonl",
        "--sort",
        "LastName",
        "--progress",
        config=served.profiles,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= 299  # other tests in this module create and delete leads
    assert len({r["id"] for r in rows}) == len(rows)
    names = [r["LastName"] for r in rows]
    assert names == sorted(names)
    assert "leads" not in result.stdout and "lead" in result.stderr  # the bar goes to stderr


def test_csv_and_table_formats(served: Served) -> None:
    csv_out = crmtui(
        "list",
        "lead",
        "--limit",
        "3",
        "--fields",
        "FirstName,Email",
        "--format",
        "csv",
        config=served.profiles,
    )
    assert csv_out.stdout.splitlines()[0] == "id,FirstName,Email"
    assert len(csv_out.stdout.splitlines()) == 4
    table = crmtui("list", "account", "--limit", "3", config=served.profiles)
    assert table.returncode == 0 and table.stdout.startswith("id")


def test_exit_codes_and_messages_name_what_is_wrong(served: Served, tmp_path: Path) -> None:
    lead_id = first_lead_id(served)
    bad = crmtui("update", "lead", lead_id, "Email=not-an-email", config=served.profiles)
    assert bad.returncode == 2 and "Email" in bad.stderr
    typo = crmtui("list", "lead", "--fields", "FirstNmae", config=served.profiles)
    assert typo.returncode == 2 and "FirstName" in typo.stderr
    entity = crmtui("list", "leed", config=served.profiles)
    assert entity.returncode == 2 and "lead" in entity.stderr
    profile = crmtui("list", "lead", "-p", "nope", config=served.profiles)
    assert profile.returncode == 2 and "nope" in profile.stderr
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(served.profiles.read_text().replace('password = "', 'password = "x'))
    auth = crmtui("list", "lead", config=wrong)
    assert auth.returncode == 3, auth.stderr
    assert "Traceback" not in auth.stderr


def test_unreachable_vendor_is_exit_5(served: Served, tmp_path: Path) -> None:
    from tests.serving import free_port

    moved = tmp_path / "moved.toml"
    moved.write_text(served.profiles.read_text().replace(str(served.port), str(free_port())))
    result = crmtui("list", "lead", config=moved)
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr


def test_demo_lists_leads_without_any_profile_file() -> None:
    result = crmtui("--demo", "list", "lead", "--limit", "5", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 5


def test_action_converts_a_lead_and_is_journaled(served: Served, tmp_path: Path) -> None:
    lead_id = first_lead_id(served)
    accounts = crmtui("list", "account", "--limit", "1", "--format", "json", config=served.profiles)
    account_id = json.loads(accounts.stdout)[0]["id"]
    data = tmp_path / "data"
    result = crmtui(
        "action",
        "lead",
        lead_id,
        "convert",
        f"Account ExternalID={account_id}",
        config=served.profiles,
        CRMTUI_DATA_DIR=str(data),
    )
    assert result.returncode == 0, result.stderr
    shown = crmtui("get", "lead", lead_id, "--format", "json", config=served.profiles)
    assert json.loads(shown.stdout)["Status"] == "Converted"
    journal = "\n".join(p.read_text() for p in data.rglob("journal-*.jsonl"))
    assert '"action"' in journal and lead_id in journal
