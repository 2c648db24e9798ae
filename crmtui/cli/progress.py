"""A one-line progress bar on stderr for long fetches."""

from __future__ import annotations

import time
from typing import TextIO

from crmtui.services.paging import Progress


class ProgressBar:
    """Redraws `[####....] 1,200/48,213 leads 812/s` in place, at most ten times a second."""

    def __init__(self, noun: str, out: TextIO, width: int = 30) -> None:
        self.noun = noun
        self.out = out
        self.width = width
        self.started = time.monotonic()
        self._drawn = 0.0

    def update(self, progress: Progress) -> None:
        """Show the latest count."""
        now = time.monotonic()
        if now - self._drawn < 0.1:
            return
        self._drawn = now
        self.out.write("\r" + self._line(progress.fetched, progress.total, now))
        self.out.flush()

    def finish(self, count: int) -> None:
        """Show the final count and end the line."""
        self.out.write("\r" + self._line(count, count, time.monotonic()) + "\n")
        self.out.flush()

    def _line(self, done: int, total: int | None, now: float) -> str:
        rate = done / max(now - self.started, 1e-6)
        if total:
            filled = int(self.width * min(done / total, 1.0))
            bar = "#" * filled + "." * (self.width - filled)
            return f"[{bar}] {done:,}/{total:,} {self.noun} {rate:,.0f}/s"
        return f"{done:,}+ {self.noun} {rate:,.0f}/s"
