"""`crmtui call` against `crmtui sandbox serve` over loopback; its curl output run by curl."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from crmtui.services.curl import variable_name

from .conftest import Served, crmtui

CMD = "sandbox-cmdatamanager"


def profile_table(served: Served, name: str = CMD) -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads(served.profiles.read_text())["profiles"][name]
    return table


def secrets_of(served: Served, name: str = CMD) -> dict[str, str]:
    table = profile_table(served, name)
    keys = {"client_id", "client_secret", "username", "password", "secret_key", "account_id"}
    keys |= {"access_key", "api_key", "rps_key"}
    return {k: v for k, v in table.items() if k in keys and isinstance(v, str)}


def call(
    served: Served, *args: str, config: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return crmtui("call", "-p", CMD, *args, config=config or served.profiles)


def test_call_prints_the_json_answer(served: Served) -> None:
    result = call(served, "GET", "/lead?per_page=5&page=1")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert len(body["Entity"]) == 5
    assert result.stdout.startswith("{\n  ")  # pretty


def test_an_error_answer_is_printed_and_exits_non_zero(served: Served) -> None:
    result = call(served, "GET", "/lead/NO-SUCH-LEAD")
    assert result.returncode == 1
    assert "Message" in json.loads(result.stdout)
    assert "HTTP 404" in result.stderr


def test_read_only_profile_refuses_a_write(served: Served, tmp_path: Path) -> None:
    doc = tomllib.loads(served.profiles.read_text())
    doc["profiles"][CMD]["mode"] = "read-only"
    config = tmp_path / "ro.toml"
    config.write_text(tomli_w.dumps(doc))
    config.chmod(0o600)
    result = call(served, "DELETE", "/lead/ANY", "--yes", config=config)
    assert result.returncode == 2
    assert "read-only" in result.stderr and "nothing was sent" in result.stderr


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_output_has_no_secret_and_gives_the_same_answer(served: Served) -> None:
    listed = json.loads(call(served, "GET", "/lead?per_page=1&page=1").stdout)
    lead_id = listed["Entity"][0]["ExternalID"]
    direct = call(served, "GET", f"/lead/{lead_id}?fields=FirstName,Email")
    assert direct.returncode == 0, direct.stderr

    made = call(served, "GET", f"/lead/{lead_id}?fields=FirstName,Email", "--curl")
    assert made.returncode == 0, made.stderr
    script = made.stdout
    secrets = secrets_of(served)
    assert secrets, "the sandbox profile should hold its credentials"
    for key, value in secrets.items():
        assert value not in script
        assert f'"${variable_name(key)}"' in script
        assert variable_name(key) in script.splitlines()[2]  # documented in the comment

    env = {**os.environ, **{variable_name(k): v for k, v in secrets.items()}}
    ran = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=30
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == json.loads(direct.stdout)


def test_curl_without_the_variables_is_refused_by_the_vendor(served: Served) -> None:
    script = call(served, "GET", "/lead?per_page=1&page=1", "--curl").stdout
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMTUI_")}
    ran = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
    assert "Entity" not in ran.stdout


# vendor -> (call arguments, key of the answer to compare; SharpSpring echoes a fresh request id)
OTHER_VENDORS = {
    "sharpspring": (["getLeads", '{"where": {}, "limit": 2}'], "result"),
    "leadsquared": (["GET", "LeadManagement.svc/LeadsMetaData.Get"], None),
    "influencersoft": (["GetAllGroups"], "result"),
}


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize(
    "vendor",
    [
        "influencersoft",
        "leadsquared",
        "sharpspring",
    ],
)
def test_curl_for_other_vendors_gives_the_same_answer(served: Served, vendor: str) -> None:
    name = f"sandbox-{vendor}"
    if name not in tomllib.loads(served.profiles.read_text())["profiles"]:
        pytest.skip(f"no {vendor} sandbox yet")
    args, key = OTHER_VENDORS[vendor]
    direct = crmtui("call", "-p", name, *args, config=served.profiles)
    assert direct.returncode == 0, direct.stderr
    script = crmtui("call", "-p", name, *args, "--curl", config=served.profiles).stdout
    secrets = secrets_of(served, name)
    assert secrets
    for value in secrets.values():
        assert value not in script
    env = {**os.environ, **{variable_name(k): v for k, v in secrets.items()}}
    ran = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
    assert ran.returncode == 0, ran.stderr
    expected, got = json.loads(direct.stdout), json.loads(ran.stdout)
    if key:
        assert (got[key], got.get("error")) == (expected[key], expected.get("error"))
    else:
        assert got == expected
