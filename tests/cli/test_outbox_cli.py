"""`crmtui outbox edit`, `outbox resolve` and `crmtui revert` run as a user does (processes)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from crmtui.model import Change
from crmtui.profiles import locations
from crmtui.profiles.loader import get_profile
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.sandbox.store import Store
from crmtui.services import edits
from crmtui.services.demo import Demo, open_demo
from crmtui.services.edits import EditConflict
from crmtui.services.session import open_session

from .conftest import crmtui

PROFILE = "demo-cmdatamanager"


@pytest.fixture
def demo() -> Iterator[Demo]:
    """The embedded demo, seeded small; every `crmtui --demo` below opens the same store."""
    demo = open_demo(data_dir=locations.data_dir(), reset=True, records=40)
    yield demo
    demo.close()


def run(*args: str) -> Any:
    return crmtui("--demo", "-p", PROFILE, *args)


def lead(demo: Demo, index: int) -> tuple[str, dict[str, Any]]:
    store: Store = demo.stores[PROFILE]
    rid, data = store.list(CMD_NS, "lead", offset=index, limit=1)[0]
    return rid, data


async def stale_save(demo: Demo, rid: str, loaded: Any, mine: str) -> str:
    """Save JobTitle from a stale `loaded` value (as a form opened earlier would): the entry."""
    profile = get_profile(demo.config, PROFILE)
    session = await open_session(profile, transport=demo.transports[PROFILE])
    try:
        with pytest.raises(EditConflict) as caught:
            await edits.save_changes(session, "lead", rid, [Change("JobTitle", loaded, mine)])
    finally:
        await session.aclose()
    return caught.value.entry.id


def conflict_entry(stderr: str) -> str:
    found = re.search(r"crmtui outbox resolve (\S+)", stderr)
    assert found is not None, stderr
    return found.group(1)


async def test_edit_a_conflicting_write_retry_then_resolve_mine(demo: Demo) -> None:
    store = demo.stores[PROFILE]
    rid, data = lead(demo, 0)
    store.update(CMD_NS, "lead", rid, {"JobTitle": "Theirs"})  # changed elsewhere
    entry = await stale_save(demo, rid, data.get("JobTitle"), "Mine")

    listed = run("outbox")
    assert listed.returncode == 0 and entry in listed.stdout and "conflict" in listed.stdout
    assert store.get(CMD_NS, "lead", rid)["JobTitle"] == "Theirs"  # type: ignore[index]

    edited = run("outbox", "edit", entry, "JobTitle=Mine, edited")
    assert edited.returncode == 0, edited.stderr
    assert "JobTitle=" in edited.stdout and "Mine, edited" in edited.stdout
    assert f"crmtui outbox retry {entry}" in edited.stderr
    shown = run("outbox", "show", entry)
    assert "queued" in shown.stdout and "Mine, edited" in shown.stdout

    retried = run("outbox", "retry", entry, "--yes")  # still changed elsewhere: asks again
    assert retried.returncode == 6 and conflict_entry(retried.stderr) == entry
    assert "JobTitle: loaded" in retried.stderr and '"Theirs"' in retried.stderr

    wrong = run("outbox", "resolve", entry, "JobTitle=maybe", "--yes")
    assert wrong.returncode != 0 and "choose mine or theirs" in wrong.stderr
    resolved = run("outbox", "resolve", entry, "JobTitle=mine", "--yes")
    assert resolved.returncode == 0, resolved.stderr
    assert f"{entry}: applied" in resolved.stderr
    assert store.get(CMD_NS, "lead", rid)["JobTitle"] == "Mine, edited"  # type: ignore[index]
    assert "nothing pending" in run("outbox").stderr


async def test_resolve_theirs_keeps_their_value_and_sends_nothing(demo: Demo) -> None:
    store = demo.stores[PROFILE]
    rid, data = lead(demo, 1)
    store.update(CMD_NS, "lead", rid, {"JobTitle": "Theirs"})
    entry = await stale_save(demo, rid, data.get("JobTitle"), "Mine")
    no_yes = run("outbox", "resolve", entry, "JobTitle=theirs")  # confirm-writes, no tty
    assert no_yes.returncode != 0 and "--yes" in no_yes.stderr
    resolved = run("outbox", "resolve", entry, "JobTitle=theirs", "--yes")
    assert resolved.returncode == 0, resolved.stderr
    assert store.get(CMD_NS, "lead", rid)["JobTitle"] == "Theirs"  # type: ignore[index]
    assert "nothing pending" in run("outbox").stderr


def test_revert_an_update_a_create_and_a_delete(demo: Demo) -> None:
    store = demo.stores[PROFILE]
    rid, before = lead(demo, 2)

    assert run("update", "lead", rid, "JobTitle=Temporary", "--yes").returncode == 0
    reverted = run("revert", "--yes")
    assert reverted.returncode == 0, reverted.stderr
    assert store.get(CMD_NS, "lead", rid)["JobTitle"] == before.get("JobTitle")  # type: ignore[index]

    made = run("create", "lead", "LastName=Undo", "Email=undo@example.org", "--yes",
               "--format", "json")  # fmt: skip
    assert made.returncode == 0, made.stderr
    new_id = str(json.loads(made.stdout)["id"])
    reverted = run("revert", "--yes")
    assert reverted.returncode == 0, reverted.stderr
    assert "deleted" in reverted.stderr and store.get(CMD_NS, "lead", new_id) is None

    count = store.count(CMD_NS, "lead")
    assert run("delete", "lead", rid, "--yes").returncode == 0
    asked = run("revert")  # confirm-writes without a tty: says what it would do, sends nothing
    assert asked.returncode != 0 and store.count(CMD_NS, "lead") == count - 1
    reverted = run("revert", "--yes")
    assert reverted.returncode == 0, reverted.stderr
    assert "created again as lead" in reverted.stderr and "new id" in reverted.stderr
    assert store.count(CMD_NS, "lead") == count
    back = re.search(r"created again as lead (\S+)", reverted.stderr)
    assert back is not None
    again = store.get(CMD_NS, "lead", back.group(1))
    assert again is not None and again["LastName"] == before["LastName"]
