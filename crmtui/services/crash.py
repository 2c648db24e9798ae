"""Unexpected errors: a short message for the user and a redacted crash file, never locals.

Headless, shared by the CLI (`crmtui.cli.main`) and the TUI's hook (`crmtui.ui.crash`). The
crash file (mode 0600, in the data dir) holds the exception type, its masked message and the
stack as file:line in function — no local variables and no source lines, so nothing a frame
held (a token, a record) can reach it. Messages are masked by every redactor the caller knows.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crmtui import __version__
from crmtui.model.sanitize import inert
from crmtui.profiles import locations

Mask = Callable[[str], str]
_MASKS: list[Mask] = []


def add_mask(mask: Mask) -> None:
    """Mask text with `mask` (e.g. a session's `redactor.text`) in every crash file and message."""
    _MASKS.append(mask)


def _masked(text: str, mask: Mask | None) -> str:
    for each in [*_MASKS, *([mask] if mask else [])]:
        text = each(text)
    return inert(text, keep_newlines=True)


def crash_text(exc: BaseException, mask: Mask | None = None) -> str:
    """The crash report for `exc`: versions, the chain of errors, and bare stack frames."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    lines = [
        f"crmtui {__version__} crash report, {now}",
        f"python {platform.python_version()} on {platform.system()} {platform.machine()}",
        "",
    ]
    seen: set[int] = set()
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(chain) < 10:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    for error in reversed(chain):
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}: {error}")
        for frame in traceback.extract_tb(error.__traceback__):
            lines.append(f"  {_short_path(frame.filename)}:{frame.lineno} in {frame.name}")
        lines.append("")
    return _masked("\n".join(lines), mask)


def _short_path(filename: str) -> str:
    """Paths inside the package or site-packages without the user's folders before them."""
    for marker in ("site-packages/", "crmtui/"):
        at = filename.rfind(marker)
        if at >= 0:
            return filename[at + len(marker) if marker == "site-packages/" else at :]
    return Path(filename).name


def write_crash_file(exc: BaseException, mask: Mask | None = None) -> Path:
    """Write the report to a new file (mode 0600) in the data dir; returns its path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = locations.state_path(f"crash-{stamp}-{os.getpid()}.txt")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(crash_text(exc, mask))
            out.flush()
            os.fsync(out.fileno())
    except OSError:  # a full disk: leave no empty crash file behind
        path.unlink(missing_ok=True)
        raise
    return path


def crash_message(exc: BaseException, mask: Mask | None = None) -> str:
    """Write the crash file and return the short message shown instead of a traceback."""
    try:
        where = f"details in {write_crash_file(exc, mask)}"
    except OSError as error:
        where = f"the crash file could not be written ({error.strerror})"
    kind = type(exc).__name__
    return _masked(
        f"crmtui stopped on an unexpected error ({kind}); edits already in the journal are kept "
        f"(crmtui outbox). {where}",
        mask,
    )


def excepthook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
    """A `sys.excepthook` printing the short message (for threads and early failures)."""
    print(crash_message(exc), file=sys.stderr)
