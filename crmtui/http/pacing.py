"""Client-side pacing (a sliding-window rate limiter) and quota tracking for one vendor profile."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from crmtui.errors import RateLimited

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Limits:
    """A vendor's documented limits: a request window and a quota per period."""

    window: tuple[int, float] | None = None
    """At most N requests per T seconds, e.g. (10, 1.0) SharpSpring, (25, 5.0) LeadSquared."""
    quota: int | None = None
    """Requests per quota period (SharpSpring 50,000/day); None = unknown or unlimited."""
    quota_period: float = 86400.0


def _plural_period(seconds: float) -> str:
    if seconds == 1:
        return "per s"
    return f"per {seconds:g} s"


@dataclass(frozen=True)
class BudgetSnapshot:
    """What the status bar shows, e.g. "calls 8,213/50,000 today · 7/10 per s"."""

    calls: int
    """Requests made in this session."""
    quota_limit: int | None
    quota_remaining: int | None
    quota_reset_at: float | None
    """Unix time at which the quota resets."""
    window_limit: int | None
    window_seconds: float | None
    window_used: int
    """Requests in the current window."""
    degraded: bool
    """The retry budget is exhausted ("vendor degraded")."""
    quota_period: float | None = None

    def label(self) -> str:
        """One short human line."""
        parts: list[str] = []
        if self.quota_limit is not None and self.quota_remaining is not None:
            used = max(self.quota_limit - self.quota_remaining, 0)
            period = {86400.0: " today", 3600.0: " this hour"}.get(self.quota_period or 0.0, "")
            parts.append(f"calls {used:,}/{self.quota_limit:,}{period}")
        else:
            parts.append(f"calls {self.calls:,}")
        if self.window_limit is not None and self.window_seconds is not None:
            parts.append(
                f"{self.window_used}/{self.window_limit} {_plural_period(self.window_seconds)}"
            )
        if self.degraded:
            parts.append("vendor degraded")
        return " · ".join(parts)


class RateLimiter:
    """Sliding-window pacing: at most `limit` acquisitions in any `period` seconds.

    Waiters queue in arrival order; a small safety margin keeps the measured rate strictly under
    the limit even with jitter between acquiring and sending. `hold` pauses everyone (after a 429).
    """

    MARGIN = 0.02  # fraction of the period added to each wait

    def __init__(
        self,
        window: tuple[int, float] | None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limit: int | None = window[0] if window else None
        self.period: float | None = window[1] if window else None
        if self.limit is not None and (self.limit < 1 or not self.period or self.period <= 0):
            raise ValueError(f"bad rate window {window!r}")
        self._clock = clock
        self._sleep = sleep
        self._stamps: deque[float] = deque()
        self._lock = asyncio.Lock()
        self._held_until = 0.0
        self._last = float("-inf")

    def hold(self, seconds: float) -> None:
        """Let no request through for `seconds` from now (the vendor asked us to wait)."""
        self._held_until = max(self._held_until, self._now() + max(seconds, 0.0))

    def _now(self) -> float:
        """The clock, but never earlier than the last time handed out (see `acquire`)."""
        return max(self._clock(), self._last)

    def used(self) -> int:
        """Acquisitions within the current window."""
        if self.period is None:
            return 0
        self._expire(self._now())
        return len(self._stamps)

    def _expire(self, now: float) -> None:
        assert self.period is not None
        while self._stamps and self._stamps[0] <= now - self.period:
            self._stamps.popleft()

    async def acquire(self) -> None:
        """Wait until one more request fits in the window, then count it."""
        # After a sleep, "now" is the time we meant to wake at (or later): an early wake-up or an
        # injected instant sleep never makes us spin or overshoot the window.
        async with self._lock:
            now = self._now()
            if now < self._held_until:
                target = self._held_until
                await self._sleep(target - now)
                now = max(self._clock(), target)
            if self.limit is not None and self.period is not None:
                self._expire(now)
                if len(self._stamps) >= self.limit:
                    target = self._stamps[0] + self.period * (1 + self.MARGIN)
                    await self._sleep(max(target - now, 0.0))
                    now = max(self._clock(), target)
                    self._expire(now)
                self._stamps.append(now)
            self._last = now


class QuotaTracker:
    """Counts requests against a quota per period; the vendor's headers, when sent, win.

    `check()` raises `RateLimited` (with `retry_after`) when the quota is known to be spent.
    """

    def __init__(
        self, limit: int | None = None, period: float = 86400.0, *, clock: Clock = time.time
    ) -> None:
        self.period = period
        self.calls = 0
        self._clock = clock
        self.limit = limit
        self._remaining: int | None = limit
        self.reset_at: float | None = None

    @property
    def remaining(self) -> int | None:
        """Requests left in the current period, when known."""
        self._roll()
        return self._remaining

    def _roll(self) -> None:
        if self.reset_at is not None and self._clock() >= self.reset_at:
            self.reset_at = None
            self._remaining = self.limit

    def note(self, limit: int | None, remaining: int | None, reset_at: float | None) -> None:
        """Take the vendor's own figures (from response headers)."""
        if limit is not None:
            self.limit = limit
        if remaining is not None:
            self._remaining = max(remaining, 0)
        if reset_at is not None:
            self.reset_at = reset_at

    def consume(self) -> None:
        """Count one request about to be sent."""
        self._roll()
        self.calls += 1
        if self._remaining is not None:
            if self.reset_at is None:
                self.reset_at = self._clock() + self.period
            self._remaining = max(self._remaining - 1, 0)

    def check(self) -> None:
        """Raise `RateLimited` if no request is left in this period."""
        if self.remaining == 0:
            wait = None if self.reset_at is None else max(self.reset_at - self._clock(), 0.0)
            when = "" if wait is None else f"; it resets in {wait:,.0f} s"
            of = "" if self.limit is None else f" of {self.limit:,} calls"
            raise RateLimited(f"the API quota{of} is spent{when}", wait)
