"""The emulators' rate windows: a sliding one (N calls in any T seconds) and a calendar one.

Each emulator picks the kind its vendor documents (docs/vendors/): a sliding window for "N per
second" or "N per 5 seconds", a calendar window for "N per UTC hour/day" that resets on the
boundary. Times are the emulator's clock, in seconds.
"""

from __future__ import annotations

from collections import deque


class SlidingWindow:
    """At most `limit` calls in any `period` seconds; a refused call is not counted."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit, self.period = limit, period
        self.stamps: deque[float] = deque()

    def take(self, now: float) -> bool:
        """Count one call at `now`; False (not counted) when the window is full."""
        while self.stamps and self.stamps[0] <= now - self.period:
            self.stamps.popleft()
        if len(self.stamps) >= self.limit:
            return False
        self.stamps.append(now)
        return True


class CalendarWindow:
    """At most `limit` calls per calendar window of `period` seconds (an UTC hour, a UTC day).

    `exhausted` (a fault switch) refuses as if the budget were spent; refused calls are not
    counted.
    """

    def __init__(self, limit: int, period: float) -> None:
        self.limit, self.period = limit, period
        self.index = -1  # the current window's number since the epoch
        self.used = 0

    def take(self, now: float, exhausted: bool = False) -> bool:
        """Spend one call of the current window; False when none is left."""
        index = int(now // self.period)
        if index != self.index:
            self.index, self.used = index, 0
        if exhausted or self.used >= self.limit:
            return False
        self.used += 1
        return True

    def remaining(self, exhausted: bool = False) -> int:
        """Calls left in the current window."""
        return 0 if exhausted else max(self.limit - self.used, 0)

    def resets_at(self) -> float:
        """When the current window ends (seconds since the epoch)."""
        return (self.index + 1) * self.period
