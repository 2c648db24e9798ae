"""Each session's local copy is its own profile's, even when a session was never closed."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from crmtui.services import mirror_sync
from crmtui.services.mirror_sync import close_mirror, mirror_for
from tests.fakes import FakeBackend, FakeProfile, FakeSession


class MirrorProfile(FakeProfile):
    """A profile that keeps a mirror."""

    mirror: bool = True


def test_a_session_dropped_unclosed_never_lends_its_copy_to_the_next(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A later session given the same id (as CPython may) opens its own profile's copy: never
    the other profile's records."""
    monkeypatch.setenv("CRMTUI_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(mirror_sync, "id", lambda _: 1, raising=False)  # every id the same
    first = FakeSession(FakeBackend(10), MirrorProfile(name="acme"))
    theirs = mirror_for(first)
    assert theirs is not None and "acme" in theirs.path.name
    del first
    gc.collect()
    second = FakeSession(FakeBackend(10), MirrorProfile(name="globex"))
    ours = mirror_for(second)
    assert ours is not None and "globex" in ours.path.name
    assert mirror_for(second) is ours  # opened once per session
    close_mirror(second)


def test_closing_one_session_leaves_a_live_others_copy_open(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRMTUI_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(mirror_sync, "id", lambda _: 1, raising=False)  # every id the same
    one = FakeSession(FakeBackend(10), MirrorProfile(name="acme"))
    other = FakeSession(FakeBackend(10), MirrorProfile(name="globex"))
    kept = mirror_for(other)
    close_mirror(one)  # never opened: nothing to close, and not the other's
    assert mirror_for(other) is kept
    close_mirror(other)
