"""Atomic file writes: a temp file beside the target, fsync, rename, then fsync the folder.

A reader sees the old file or the new one, never half of one, and a crash right after the write
keeps the new one (the rename is made durable as git does). Files are private (0600) unless told.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: str | bytes, *, mode: int = 0o600) -> None:
    """Replace `path` with `data` (text as UTF-8) atomically; the folder is made (0700) if need be.

    Raises OSError; the temp file never outlives a failure.
    """
    parent = path.parent
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_folder(parent)


def write_json_atomic(path: Path, value: Any, *, mode: int = 0o600, **dump: Any) -> None:
    """Replace `path` with `value` as JSON (UTF-8, non-ASCII kept; `dump` as for json.dumps)."""
    write_atomic(path, json.dumps(value, **{"ensure_ascii": False, **dump}), mode=mode)


def write_json_lines_atomic(path: Path, items: Any, *, mode: int = 0o600) -> None:
    """Replace `path` with one compact JSON document per line."""
    lines = (json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n" for item in items)
    write_atomic(path, "".join(lines), mode=mode)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX); best effort elsewhere."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
