"""`crmtui --demo find`: a person seeded in several vendors is found in each, by email and name."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from crmtui.sandbox.seed import CROSS_VENDOR_PEOPLE


def find(*words: str) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "crmtui", "--demo", "find", *words, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return result.returncode, data


def holders(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {p["profile"]: p["hits"] for p in data["profiles"] if p["hits"]}


def test_a_shared_person_is_found_in_every_vendor_by_email_and_by_name() -> None:
    person = CROSS_VENDOR_PEOPLE[0]
    code, by_email = find(person.email)
    assert code == 0
    found = holders(by_email)
    listable = {"demo-cmdatamanager", "demo-sharpspring", "demo-leadsquared"}
    assert listable <= set(found), by_email
    for profile in listable:
        (hit,) = found[profile]
        assert hit["title"] == f"{person.first} {person.last}"
        assert person.email in hit["fields"].values()
        assert hit["changed"]  # when it last changed
    # the send-only vendor answers through the lead's group status, read by email
    (group_hit,) = found["demo-influencersoft"]
    assert group_hit["id"] == person.email
    assert all(p["error"] is None for p in by_email["profiles"])

    code, by_name = find(f"{person.first} {person.last}")
    assert code == 0
    named = holders(by_name)
    assert listable <= set(named)
    for profile in listable:
        assert [h["title"] for h in named[profile]] == [f"{person.first} {person.last}"]


def test_nobody_matches_and_every_profile_says_so() -> None:
    code, data = find("nobody.at.all@crossover-demo.test")
    assert code == 1
    assert len(data["profiles"]) == 4
    assert not holders(data)
