"""The sandbox over real loopback HTTP: uvicorn in a thread, and `crmtui sandbox serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from crmtui.cli.main import main
from crmtui.sandbox.serve import build_server_app, profiles_toml, save_profiles
from crmtui.sandbox.store import Store

from .conftest import CRED_HEADERS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server_url() -> Iterator[str]:
    """A sandbox served by uvicorn on a free loopback port, stopped afterwards."""
    store = Store()
    app = build_server_app(store, records=100, seed=3)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)
    sock.close()
    store.close()


async def _login(c: httpx.AsyncClient) -> None:
    token = (await c.post("/cmdatamanager/api/v1/authenticate", headers=CRED_HEADERS)).json()
    c.headers["Authorization"] = f"Bearer {token['token']}"


async def test_crud_over_loopback(server_url: str) -> None:
    async with httpx.AsyncClient(base_url=server_url, timeout=10) as c:
        await _login(c)
        api = "/cmdatamanager/api/v1"
        listed = await c.get(f"{api}/lead", params={"per_page": "10", "page": "1"})
        assert listed.json()["Total Records"] == "100" and len(listed.json()["Entity"]) == 10
        assert listed.headers["x-rate-limit-remaining"] == "4998"
        rid = (await c.post(f"{api}/lead", json={"LastName": "Turing"})).json()["ExternalID"]
        await c.put(f"{api}/lead/{rid}", json={"FirstName": "Alan"})
        props = (await c.get(f"{api}/lead/{rid}")).json()["Properties"]
        assert (props["FirstName"], props["LastName"]) == ("Alan", "Turing")


async def test_admin_endpoint_switches_faults_on_a_running_server(server_url: str) -> None:
    async with httpx.AsyncClient(base_url=server_url, timeout=10) as c:
        await _login(c)
        api = "/cmdatamanager/api/v1"
        on = await c.post("/_sandbox/faults", json={"error_rate": 1.0})
        assert on.json()["error_rate"] == 1.0
        assert (await c.get(f"{api}/lead")).status_code == 500
        await c.post("/_sandbox/faults", json={"error_rate": 0.0, "drop_rate": 1.0})
        with pytest.raises(httpx.RemoteProtocolError):
            await c.post(f"{api}/lead", json={"LastName": "Lost"})
        await c.post("/_sandbox/faults", json={"drop_rate": 0.0})
        assert (await c.get(f"{api}/lead")).json()["Total Records"] == "101"
        bad = await c.post("/_sandbox/faults", json={"colour": "red"})
        assert bad.status_code == 400 and "colour" in bad.json()["Message"]
        assert (await c.get("/_sandbox/faults")).json()["drop_rate"] == 0.0


def test_profiles_toml_is_ready_to_use() -> None:
    doc = tomllib.loads(profiles_toml("127.0.0.1", 8765))
    assert doc["default_profile"] == "sandbox-cmdatamanager"
    profile = doc["profiles"]["sandbox-cmdatamanager"]
    assert profile["base_url"] == "http://127.0.0.1:8765/cmdatamanager"
    assert profile["mode"] == "write" and profile["api_version"] == "v1"
    assert profile["client_secret"] == CRED_HEADERS["client_secret"]
    assert profile["custom_entities"] == ["membership"]


def test_serve_refuses_non_loopback_hosts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "serve", "--host", "0.0.0.0"]) == 2
    assert "loopback" in capsys.readouterr().err


def test_data_file_is_reused_when_seeded(tmp_path: Path) -> None:
    path = tmp_path / "cmd.sqlite"
    build_server_app(Store(path), records=40, seed=1)
    again = Store(path)
    build_server_app(again, records=5, seed=2)
    assert again.count("cmdatamanager", "lead") == 40


def test_cli_serve_prints_profile_then_ready_and_serves(tmp_path: Path) -> None:
    written = tmp_path / "profiles.toml"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["sandbox", "serve", "--port", "0", "--records", "30", "--write-profiles", str(written)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "crmtui", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("# crmtui sandbox ready on "):
                break
        assert lines and lines[-1].startswith("# crmtui sandbox ready"), lines
        doc = tomllib.loads("".join(lines))
        profile = doc["profiles"]["sandbox-cmdatamanager"]
        assert tomllib.loads(written.read_text())["profiles"]["sandbox-cmdatamanager"] == profile
        assert written.stat().st_mode & 0o777 == 0o600
        base = profile["base_url"] + "/api/v1"
        token = httpx.post(f"{base}/authenticate", headers=CRED_HEADERS).json()["token"]
        leads = httpx.get(f"{base}/lead", headers={"Authorization": f"Bearer {token}"}).json()
        assert leads["Total Records"] == "30"
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def test_written_profiles_keep_the_other_profiles(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text('default_profile = "work"\n[profiles.work]\nvendor = "sharpspring"\n')
    save_profiles(path, "127.0.0.1", 9999)
    doc = tomllib.loads(path.read_text())
    assert doc["default_profile"] == "work"
    assert doc["profiles"]["work"] == {"vendor": "sharpspring"}
    assert doc["profiles"]["sandbox-cmdatamanager"]["base_url"].endswith(":9999/cmdatamanager")
    assert path.stat().st_mode & 0o777 == 0o600
