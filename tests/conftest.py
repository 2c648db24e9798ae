"""Test isolation: no real user config or data, no network, deterministic environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every crmtui location at a fresh temporary folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("CRMTUI_DATA_DIR", str(home / "data"))
    monkeypatch.delenv("CRMTUI_CONFIG", raising=False)
    yield home


@pytest.fixture(autouse=True)
def mirror_syncs_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """In the app, a mirrored profile's background sync runs once, not every minute for ever:
    otherwise `app.workers.wait_for_complete()` never returns on a demo (mirror = true)."""
    monkeypatch.setattr("crmtui.ui.find_sync.REFRESH_EVERY", 0.0)


SLOW_FOLDERS = {"e2e"}  # real terminals: a pty, a private tmux server, sshd, GNU screen


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every real-terminal test `slow` (still run by default: CI runs them all)."""
    root = Path(__file__).parent
    for item in items:
        parts = item.path.relative_to(root).parts if item.path.is_relative_to(root) else ()
        if parts and parts[0] in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)
