"""CMDataManager's token kept between runs: the next run's first request needs no sign-in.

Each "run" is a session opened as `crmtui -p` opens one (no transport: real HTTP to the sandbox
served on loopback), with its own data dir, so what one run keeps the next one finds.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from crmtui.backends.tokens import token_file_name
from crmtui.errors import AuthError
from crmtui.model import Query
from crmtui.sandbox.serve import build_server_app
from crmtui.sandbox.store import Store
from crmtui.services.session import Session, open_session

from .conftest import make_profile


@pytest.fixture
def vendor_url() -> Iterator[str]:
    """The CMDataManager emulator served by uvicorn on a free loopback port."""
    store = Store()
    app = build_server_app(store, ("cmdatamanager",), records=20, seed=3)
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
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/cmdatamanager"
    server.should_exit = True
    thread.join(10)
    sock.close()
    store.close()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("CRMTUI_DATA_DIR", str(folder))
    return folder


def kept_file(data_dir: Path) -> Path:
    return data_dir / token_file_name("test")


async def one_run(url: str, **profile: Any) -> list[str]:
    """Open a session as `crmtui -p` does, read the first page of leads; the calls it made."""
    session: Session = await open_session(make_profile(base_url=url, **profile))
    try:
        page = await session.backend.list_page("lead", Query(), 0, 5)
        assert len(page.records) == 5
        return [e.url.split("/api/v1")[-1].split("?")[0] for e in session.log.entries]
    finally:
        await session.aclose()


async def test_the_next_run_reads_at_once_with_the_kept_token(
    vendor_url: str, data_dir: Path
) -> None:
    assert (await one_run(vendor_url))[0] == "/authenticate"
    kept = kept_file(data_dir)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    body = json.loads(kept.read_text())
    for secret in ("sandbox-password", "sandbox-client-secret", "sandbox@example.test"):
        assert secret not in kept.read_text()  # the credentials are a salted one-way tag
    assert body["expires"] > time.time() + 600  # the vendor's x-token-reset, an hour away
    second = await one_run(vendor_url)
    assert "/authenticate" not in second
    assert "/lead" in second


async def test_a_refused_kept_token_signs_in_once_and_is_replaced(
    vendor_url: str, data_dir: Path
) -> None:
    await one_run(vendor_url)
    kept = kept_file(data_dir)
    body = json.loads(kept.read_text())
    body["token"] = "revoked-by-the-vendor"  # as after the vendor restarts or revokes it
    kept.write_text(json.dumps(body))
    calls = await one_run(vendor_url)
    assert calls.count("/authenticate") == 1
    assert json.loads(kept.read_text())["token"] not in ("revoked-by-the-vendor", "")


async def test_a_token_file_others_may_read_is_not_used(vendor_url: str, data_dir: Path) -> None:
    await one_run(vendor_url)
    kept_file(data_dir).chmod(0o644)
    assert (await one_run(vendor_url))[0] == "/authenticate"


@pytest.mark.parametrize("changed", ["client_id", "password"])
async def test_changed_credentials_do_not_take_the_kept_token(
    vendor_url: str, data_dir: Path, changed: str
) -> None:
    await one_run(vendor_url)
    with pytest.raises(AuthError):  # the kept token would have read the leads without asking
        await one_run(vendor_url, **{changed: "not-what-the-token-was-issued-for"})
    assert not kept_file(data_dir).exists()  # refused credentials: nothing kept to retry with


async def test_keep_token_false_signs_in_every_run_and_keeps_nothing(
    vendor_url: str, data_dir: Path
) -> None:
    for _ in range(2):
        assert (await one_run(vendor_url, keep_token=False))[0] == "/authenticate"
    assert not kept_file(data_dir).exists()
    assert not any(p.name.startswith("token-") for p in data_dir.iterdir())


def test_the_token_file_name_names_no_profile() -> None:
    name = token_file_name("../../etc/passwd")
    assert os.sep not in name and name.startswith("token-") and "passwd" not in name
