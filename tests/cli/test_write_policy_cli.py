"""Each CLI write path: read-only refuses, confirm-writes asks (`--yes` answers), write sends.

Each command runs in-process (`crmtui.cli.main.main`) on the embedded demo, as a user would type
it; "nothing was sent" is checked on the demo's own store, which every vendor writes to.
"""

from __future__ import annotations

import functools
import hashlib
import io
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crmtui.cli.main import main
from crmtui.model import Change
from crmtui.profiles import locations
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.services import demo as demo_module
from crmtui.services.demo import Demo, demo_store_path, open_demo
from crmtui.services.journal import Journal, Op, change_dicts
from crmtui.services.write_policy import WritePath

CMD = "demo-cmdatamanager"
RECORDS = 80


@dataclass
class World:
    """The seeded demo store, the mode every `--demo` profile gets, and a counter for targets."""

    demo: Demo
    mode: str = "confirm-writes"
    count: int = 0

    def next(self) -> int:
        self.count += 1
        return self.count

    def lead(self, index: int) -> tuple[str, dict[str, Any]]:
        return self.demo.stores[CMD].list(CMD_NS, "lead", offset=index, limit=1)[0]


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    seeded = open_demo(data_dir=locations.data_dir(), reset=True, records=RECORDS)
    for name in seeded.stores:  # each sandbox seeds when first used: seed them all before
        seeded.stores[name]
    state = World(seeded)
    real = open_demo

    def with_mode(**kwargs: Any) -> Demo:
        opened = real(**{**kwargs, "records": RECORDS})
        for name, profile in list(opened.config.profiles.items()):
            opened.config.profiles[name] = profile.model_copy(update={"mode": state.mode})
        return opened

    monkeypatch.setattr(demo_module, "open_demo", functools.partial(with_mode))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal to ask on
    yield state
    seeded.close()


def snapshot() -> str:
    """A digest of every record of every demo vendor (journal and history files not included)."""
    with sqlite3.connect(demo_store_path(locations.data_dir())) as conn:
        rows = conn.execute("SELECT * FROM records ORDER BY 1, 2, 3").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    code = main(["--demo", *argv])
    _, err = capsys.readouterr()
    return code, err


# -- the commands, one per write path: each call makes a fresh target -----------------------------
def edit(w: World) -> list[str]:
    rid, _ = w.lead(w.next())
    return ["-p", CMD, "update", "lead", rid, f"JobTitle=Policy {w.count}"]


def create(w: World) -> list[str]:
    n = w.next()
    return ["-p", CMD, "create", "lead", f"LastName=Policy{n}", f"Email=policy{n}@example.org"]


def delete(w: World) -> list[str]:
    rid, _ = w.lead(w.next())
    return ["-p", CMD, "delete", "lead", rid]


def bulk(w: World) -> list[str]:
    rid, _ = w.lead(w.next())
    path = Path(locations.data_dir()) / f"bulk-{w.count}.csv"
    path.write_text(f"id,JobTitle\n{rid},Bulk {w.count}\n", encoding="utf-8")
    return ["-p", CMD, "bulk", "update", "lead", str(path)]


def retry(w: World) -> list[str]:
    rid, data = w.lead(w.next())
    change = Change("JobTitle", data.get("JobTitle"), f"Retried {w.count}")
    entry = Journal(CMD, "cmdatamanager").new(
        Op.UPDATE, "lead", record_id=rid, changes=change_dicts([change])
    )
    return ["-p", CMD, "outbox", "retry", entry.id]


def revert(w: World) -> list[str]:
    rid, _ = w.lead(w.next())
    mode, w.mode = w.mode, "write"
    made = main(["--demo", "-p", CMD, "update", "lead", rid, f"JobTitle=To revert {w.count}"])
    w.mode = mode
    assert made == 0
    return ["-p", CMD, "revert"]


def raw(w: World) -> list[str]:
    body = f'{{"LastName": "Raw{w.next()}", "Company": "Raw Co"}}'
    return ["-p", CMD, "call", "POST", "/lead", "--body", body]


def action(w: World) -> list[str]:
    rid, _ = w.demo.stores[CMD].list(CMD_NS, "task", offset=w.next(), limit=1)[0]
    return ["-p", CMD, "action", "task", rid, "close"]


def capture(w: World) -> list[str]:
    email = f"capture{w.next()}@example.com"
    return ["-p", "demo-leadsquared", "capture", "lead", email, "--event-code", "12231", "--sync"]


def upsert(w: World) -> list[str]:
    email = f"upsert{w.next()}@example.org"
    return ["-p", "demo-influencersoft", "upsert", "lead", email, "first_name=Ada"]


PATHS: dict[WritePath, Callable[[World], list[str]]] = {
    WritePath.EDIT: edit,
    WritePath.CREATE: create,
    WritePath.DELETE: delete,
    WritePath.BULK: bulk,
    WritePath.RETRY: retry,
    WritePath.REVERT: revert,
    WritePath.RAW: raw,
    WritePath.ACTION: action,
    WritePath.CAPTURE: capture,
    WritePath.UPSERT: upsert,
}


@pytest.mark.parametrize("path", list(PATHS), ids=lambda p: p.name.lower())
def test_each_mode_refuses_asks_or_proceeds(
    path: WritePath, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    command = PATHS[path]

    world.mode = "read-only"
    argv = command(world)
    before = snapshot()
    code, err = run(capsys, argv)
    assert code != 0 and "read-only" in err and path.words in err, err
    assert "nothing was sent" in err
    assert snapshot() == before

    world.mode = "confirm-writes"
    argv = command(world)
    before = snapshot()
    code, err = run(capsys, argv)  # no terminal, no --yes: asks, so nothing is sent
    assert code != 0 and "--yes" in err, err
    assert snapshot() == before
    code, err = run(capsys, [*argv, "--yes"])
    assert code == 0, err
    assert snapshot() != before

    world.mode = "write"
    argv = command(world)
    before = snapshot()
    code, err = run(capsys, argv)
    assert code == 0, err
    assert snapshot() != before


def test_a_terminal_answer_of_yes_proceeds_and_no_sends_nothing(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter(["n", "y"])
    monkeypatch.setattr("sys.stdin", Terminal(""))
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    argv = edit(world)
    before = snapshot()
    code, err = run(capsys, argv)
    assert code != 0 and "cancelled" in err and snapshot() == before
    code, err = run(capsys, argv)
    assert code == 0, err
    assert snapshot() != before


def test_read_only_refuses_before_checking_the_values(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    world.mode = "read-only"
    rid, _ = world.lead(1)
    code, err = run(capsys, ["-p", CMD, "update", "lead", rid, "Email=not-an-address"])
    assert code != 0 and "cannot save changes" in err and "Email" not in err, err
    code, err = run(capsys, ["-p", CMD, "create", "lead", "Nonsense=1"])
    assert code != 0 and "cannot create records" in err and "unknown field" not in err, err
