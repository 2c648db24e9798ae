"""The request log: one redacted entry per attempt, read by the console and the status bar."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LogEntry:
    """One attempt at one request, with its URL and error already redacted."""

    started: float
    """Unix time the attempt started."""
    method: str
    url: str
    status: int | None
    """HTTP status, None when no answer came."""
    duration: float
    sent: int
    """Request body bytes."""
    received: int
    """Response body bytes."""
    attempt: int
    error: str | None
    op: str


class RequestLog:
    """The most recent `maxlen` entries, plus a total count and subscribers for live views."""

    def __init__(self, maxlen: int = 1000) -> None:
        self._entries: deque[LogEntry] = deque(maxlen=maxlen)
        self._subscribers: list[Callable[[LogEntry], None]] = []
        self.count = 0

    @property
    def entries(self) -> list[LogEntry]:
        """Kept entries, oldest first."""
        return list(self._entries)

    @property
    def last(self) -> LogEntry | None:
        """The newest entry, if any."""
        return self._entries[-1] if self._entries else None

    def add(self, entry: LogEntry) -> None:
        """Record an entry and tell every subscriber (a failing one is logged, not raised)."""
        self._entries.append(entry)
        self.count += 1
        for callback in list(self._subscribers):
            try:
                callback(entry)
            except Exception:
                _log.exception("request log subscriber failed")

    def subscribe(self, callback: Callable[[LogEntry], None]) -> Callable[[], None]:
        """Call `callback` with every new entry; returns a function that unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe
