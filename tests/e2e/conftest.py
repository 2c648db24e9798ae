"""End-to-end fixtures: a demo data dir seeded once per run, a private tmux, demo leads."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crmtui.sandbox.store import Store

from .terminal import REPO, Tmux, base_env

DEMO_STORE = Path("demo") / "sandbox.sqlite3"
NAMESPACE = "cmdatamanager"  # the demo's default profile


@dataclass(frozen=True)
class Lead:
    """A demo lead as the store holds it."""

    id: str
    email: str
    last_name: str
    status: str


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose demo sandboxes are seeded (once per run; tests copy it)."""
    data = tmp_path_factory.mktemp("seeded") / "data"
    seed_all = (  # the demo builds a vendor's sandbox when first used: build every one here
        "from crmtui.services.demo import open_demo\n"
        "demo = open_demo()\n"
        "[demo.stores[name] for name in demo.config.profiles]\n"
        "demo.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", seed_all],
        env=base_env(data),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return data


@pytest.fixture
def demo_dir(seeded_demo: Path) -> Iterator[Path]:
    """A private copy of the seeded data dir, under a short path (tmux and sshd sockets)."""
    root = Path(tempfile.mkdtemp(prefix="crm-e2e-"))
    data = root / "data"
    shutil.copytree(seeded_demo, data)
    yield data
    shutil.rmtree(root, ignore_errors=True)


def demo_leads(data: Path, count: int = 12) -> list[Lead]:
    """The first `count` leads of the demo's default profile, in list order."""
    store = Store(data / DEMO_STORE)
    try:
        rows = store.list(NAMESPACE, "lead", offset=0, limit=count)
    finally:
        store.close()
    return [
        Lead(rid, str(v.get("Email") or ""), str(v.get("LastName") or ""), str(v.get("Status")))
        for rid, v in rows
    ]


def stored_lead(data: Path, record_id: str) -> dict[str, object]:
    """A lead's values as the sandbox store now holds them."""
    store = Store(data / DEMO_STORE)
    try:
        found = store.get(NAMESPACE, "lead", record_id)
    finally:
        store.close()
    assert found is not None, record_id
    return found


@pytest.fixture
def new_lead(demo_dir: Path) -> Lead:
    """A lead on the first screen whose status is New and whose email is its own."""
    leads = demo_leads(demo_dir)
    emails = [lead.email for lead in leads]
    for lead in leads:
        if lead.status == "New" and lead.email and emails.count(lead.email) == 1:
            return lead
    raise AssertionError(f"no New lead with a unique email among {leads}")


@pytest.fixture
def tmux(demo_dir: Path) -> Iterator[Tmux]:
    """A private tmux server; stopped after the test."""
    server = Tmux(demo_dir.parent)
    yield server
    server.close()
