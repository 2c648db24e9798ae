"""The journal's file: JSON lines appended with fsync, mode 0600, compacted through a temp file."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crmtui.files import write_json_lines_atomic
from crmtui.profiles import locations

_SAFE = re.compile(r"[^A-Za-z0-9._-]")
COMPACT_AFTER = 2000  # superseded lines tolerated before a load rewrites the file


def journal_path(profile_name: str) -> Path:
    """The journal file of one profile, in the data dir (a safe file name for any profile)."""
    safe = _SAFE.sub("_", profile_name)[:60] or "_"
    if safe != profile_name:
        safe += "-" + hashlib.sha256(profile_name.encode()).hexdigest()[:8]
    return locations.state_path(f"journal-{safe}.jsonl")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[int]:
    """An exclusive lock on `path` (created 0600), held while the block runs."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.fchmod(fd, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def append(path: Path, item: dict[str, Any]) -> None:
    """Add one line and fsync it before returning: once this returns, the line survives a crash."""
    line = (json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    with _locked(path) as fd:
        _write_all(fd, line)
        os.fsync(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def load(path: Path) -> dict[str, dict[str, Any]]:
    """The latest version of every item by id, in the order first written.

    A torn last line (a crash while writing) is skipped; so is any line that is not an object.
    The file is rewritten compactly when it holds many superseded lines.
    """
    if not path.exists():
        return {}
    with _locked(path):
        items, lines = _read(path)
        if lines - len(items) > COMPACT_AFTER:
            _rewrite(path, items)
    return items


def _read(path: Path) -> tuple[dict[str, dict[str, Any]], int]:
    items: dict[str, dict[str, Any]] = {}
    lines = 0
    with path.open("rb") as handle:
        for raw in handle:
            lines += 1
            try:
                item = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                items[item["id"]] = item
    return items, lines


def _rewrite(path: Path, items: dict[str, dict[str, Any]]) -> None:
    """Replace the file with one line per item: temp file, fsync, rename (as git does)."""
    write_json_lines_atomic(path, items.values())
