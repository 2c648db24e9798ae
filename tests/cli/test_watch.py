"""Watch: a lead created in the store appears — through the service, and through `crmtui watch`
against a real `crmtui sandbox serve` on loopback (which also checks serve mounts SharpSpring)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tomllib
from typing import Any

from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY, create_app
from crmtui.sandbox.sharpspring.schema import NS
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import open_session
from crmtui.services.watch import Watcher

from .conftest import Served, crmtui

PROFILE = "sandbox-sharpspring"


def new_lead(store: Store, rid: str, email: str) -> None:
    """A lead written straight into the store, as if someone else created it just now."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    data: dict[str, Any] = {
        "id": rid,
        "firstName": "Wanda",
        "lastName": "Watcher",
        "emailAddress": email,
        "_email": email,
        "active": "1",
        "leadStatus": "open",
        "createTimestamp": now,
        "updateTimestamp": now,
    }
    store.insert(NS, "lead", data, record_id=rid)


async def test_the_watcher_reports_a_new_lead_then_its_update() -> None:
    store = Store(":memory:")
    app = create_app(store, records=50)
    profile = SharpSpringProfile.model_validate(
        {"name": "w", "vendor": "sharpspring", "base_url": "https://ss.invalid",
         "account_id": ACCOUNT_ID, "secret_key": SECRET_KEY}
    )  # fmt: skip
    session = await open_session(profile, transport=in_process_transport(app))
    try:
        watcher = Watcher(session.backend, "lead")
        await watcher.check()
        assert await watcher.poll() == []  # the seeded leads are older than the watch
        new_lead(store, "777000001", "wanda@example.test")
        changes = await watcher.poll()
        assert [(c.kind, c.record.id) for c in changes] == [("new", "777000001")]
        assert await watcher.poll() == []  # reported once
        later = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)).strftime("%Y-%m-%d %H:%M:%S")
        store.update(NS, "lead", "777000001", {"firstName": "Wendy", "updateTimestamp": later})
        changes = await watcher.poll()
        assert [(c.kind, c.record.values["firstName"]) for c in changes] == [("updated", "Wendy")]
    finally:
        await session.aclose()


def test_crmtui_watch_prints_a_lead_created_in_the_served_store(served: Served) -> None:
    config = tomllib.loads(served.profiles.read_text())
    assert PROFILE in config["profiles"]  # serve mounts the SharpSpring sandbox
    options = ["--interval", "0.5", "--polls", "8", "--format", "jsonl"]
    command = [sys.executable, "-m", "crmtui", "watch", "lead", "-p", PROFILE]
    command += ["--config", str(served.profiles), *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        # The watch says on stderr when it has started: from then on a lead counts as new.
        assert "watching" in process.stderr.readline()
        store = Store(served.profiles.parent / "store.sqlite3")
        new_lead(store, "777000002", "served.watch@example.test")
        store.close()
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["change"], str(r["id"]), r["emailAddress"]) for r in rows] == [
        ("new", "777000002", "served.watch@example.test")
    ]
    assert SECRET_KEY not in out + err


def test_crmtui_list_over_loopback_and_an_unwatchable_entity(served: Served) -> None:
    listed = crmtui("list", "lead", "-p", PROFILE, "--limit", "3", "--format", "jsonl",
                    config=served.profiles)  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 3
    refused = crmtui("watch", "deal_stage", "-p", PROFILE, "--polls", "1", config=served.profiles)
    assert refused.returncode == 2 and "cannot watch" in refused.stderr
