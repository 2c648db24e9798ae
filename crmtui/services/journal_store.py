"""The journal's file: JSON lines appended with fsync, mode 0600, compacted through a temp file.

Any number of processes share it. Every access holds `flock` on the file the path names *now*:
a compaction replaces the file (temp file, fsync, rename), so a process that opened the old one
while waiting for the lock notices, after acquiring it, that the path names another file, and
opens again. No append can land in a file that was already replaced.
"""

from __future__ import annotations

import contextlib
import errno
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
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


def journal_path(profile_name: str) -> Path:
    """The journal file of one profile, in the data dir (a safe file name for any profile)."""
    safe = _SAFE.sub("_", profile_name)[:60] or "_"
    if safe != profile_name:
        safe += "-" + hashlib.sha256(profile_name.encode()).hexdigest()[:8]
    return locations.state_path(f"journal-{safe}.jsonl")


@contextlib.contextmanager
def _locked(path: Path, *, write: bool = True) -> Iterator[int]:
    """An exclusive lock (shared when not `write`) on the file `path` names, held while the
    block runs; `path` is created 0600 when writing."""
    flags = os.O_RDWR | os.O_CREAT | os.O_APPEND if write else os.O_RDONLY
    while True:
        fd = os.open(path, flags, 0o600)
        try:
            if write:
                os.fchmod(fd, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX if write else fcntl.LOCK_SH)
            if _names(path, fd):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # replaced by a compaction while we waited: lock the file there now
    try:
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def _names(path: Path, fd: int) -> bool:
    """Whether `path` still names the open file `fd`."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)


def append(path: Path, item: dict[str, Any]) -> None:
    """Add one line and fsync it before returning: once this returns, the line survives a crash.

    An OSError (read-only, full or missing data dir) leaves no empty file behind.
    """
    line = (json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    with _locked(path) as fd:
        size = os.fstat(fd).st_size
        try:
            _write_all(fd, line)
            os.fsync(fd)
        except OSError:
            _undo(path, fd, size)
            raise


def _undo(path: Path, fd: int, size: int) -> None:
    """Cut a failed append back to `size` bytes; remove the file if that leaves it empty."""
    with contextlib.suppress(OSError):
        os.ftruncate(fd, size)
    if size == 0:  # others re-check the path after locking, so unlinking is safe
        with contextlib.suppress(OSError):
            os.unlink(path)


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
    try:
        with _locked(path):
            items, lines = _read(path)
            if lines - len(items) > COMPACT_AFTER:
                with contextlib.suppress(OSError):  # a full disk: compact another time
                    _rewrite(path, items)
            return items
    except OSError as exc:
        if exc.errno not in _READ_ONLY:
            raise
    with _locked(path, write=False):  # a read-only data dir: read it as it is
        return _read(path)[0]


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
