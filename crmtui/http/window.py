"""Where a rate window's state lives: in memory (one process) or in a small file shared by every
process of a profile, under `flock`.

The state is the requests that count against the window ("slots": start, end or None while in
flight, pid, token) and a hold time (a vendor asked everyone to wait). `edit()` hands it out
locked; what the block leaves in it is what the next one sees. The file never gets replaced (the
journal's lesson): it is rewritten in place, and a torn write (a kill mid-write) reads as its
valid prefix.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass
class WindowState:
    """What a window holds: requests counted against it and the time to hold everyone until."""

    slots: list[list[Any]] = field(default_factory=list)
    """[start, end or None (in flight), pid, token] per request."""
    held: float = 0.0


def window_file_name(profile: str) -> str:
    """The file name of a profile's shared window (a safe name for any profile)."""
    safe = _SAFE.sub("_", profile)[:60] or "_"
    if safe != profile:
        safe += "-" + hashlib.sha256(profile.encode()).hexdigest()[:8]
    return f"pace-{safe}.json"


class MemoryWindow:
    """The state of a window used by one process only."""

    def __init__(self) -> None:
        self.state = WindowState()

    @contextlib.contextmanager
    def edit(self) -> Iterator[WindowState]:
        """The state, to read and change (callers run on one event loop: no lock needed)."""
        yield self.state


class FileWindow:
    """The state of a window shared through a file (created 0600) by every process using it.

    Should the file be unusable (read-only or full data dir), the window falls back to memory:
    pacing then holds for this process only, and requests still go out.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fallback: MemoryWindow | None = None

    @contextlib.contextmanager
    def edit(self) -> Iterator[WindowState]:
        """The state, locked against every other process until the block ends."""
        if self.fallback is None:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                self.fallback = MemoryWindow()
        if self.fallback is not None:
            with self.fallback.edit() as state:
                yield state
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            state = _decode(_read_all(fd))
            yield state
            data = json.dumps({"slots": state.slots, "held": state.held}).encode()
            try:
                os.pwrite(fd, data, 0)
                os.ftruncate(fd, len(data))
            except OSError:  # a full disk: pace in memory, leave no empty file behind
                self.fallback = MemoryWindow()
                self.fallback.state = state
                with contextlib.suppress(OSError):
                    if os.fstat(fd).st_size == 0:
                        os.unlink(self.path)
        finally:
            os.close(fd)  # releases the lock


def _read_all(fd: int) -> bytes:
    chunks = []
    offset = 0
    while chunk := os.pread(fd, 65536, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _decode(raw: bytes) -> WindowState:
    """The state in `raw`; a torn or foreign file reads as what is valid in it, or empty."""
    try:
        data, _ = json.JSONDecoder().raw_decode(raw.decode("utf-8", "replace"))
    except ValueError:
        return WindowState()
    if not isinstance(data, dict):
        return WindowState()
    slots = [
        s
        for s in data.get("slots") or []
        if isinstance(s, list)
        and len(s) == 4
        and isinstance(s[0], int | float)
        and (s[1] is None or isinstance(s[1], int | float))
    ]
    held = data.get("held")
    return WindowState(slots, float(held) if isinstance(held, int | float) else 0.0)
