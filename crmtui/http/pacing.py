"""Client-side pacing (a sliding-window rate limiter) and quota tracking for one vendor profile."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from crmtui.errors import RateLimited
from crmtui.http.window import FileWindow, MemoryWindow, WindowState

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
    """Sliding-window pacing: at most `limit` requests in any `period` seconds, as the vendor
    counts them, however many workers and processes share the window.

    A request counts from the moment it is let through until `period` after its answer came
    back (`release`): its arrival at the vendor lies somewhere in between, so no window of
    arrivals can hold more than `limit`, whatever the network delays. A plain `acquire()`
    without `release()` counts from the moment it was let through.

    Waiters of one process queue in arrival order; with `shared` (a file), every process of a
    profile shares one window and one hold (see `crmtui.http.window`). `hold` pauses everyone
    (after a 429).
    """

    MARGIN = 0.02  # fraction of the period added to each wait
    IN_FLIGHT_CAP = 300.0  # seconds an unreleased request counts at most (its process hung)
    POLL = 0.05  # seconds between looks while the window is full of requests in flight

    def __init__(
        self,
        window: tuple[int, float] | None,
        *,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
        shared: Path | None = None,
    ) -> None:
        self.limit: int | None = window[0] if window else None
        self.period: float | None = window[1] if window else None
        if self.limit is not None and (self.limit < 1 or not self.period or self.period <= 0):
            raise ValueError(f"bad rate window {window!r}")
        # Processes compare times through the file: wall-clock time there, else monotonic.
        self._clock = clock or (time.time if shared is not None else time.monotonic)
        self._sleep = sleep
        self._store: MemoryWindow | FileWindow = (
            FileWindow(shared) if shared is not None else MemoryWindow()
        )
        self._lock = asyncio.Lock()
        self._last = float("-inf")
        self._pid = os.getpid()

    def hold(self, seconds: float) -> None:
        """Let no request through for `seconds` from now (the vendor asked us to wait)."""
        until = self._now() + max(seconds, 0.0)
        with self._store.edit() as state:
            state.held = max(state.held, until)

    def _now(self) -> float:
        """The clock, but never earlier than the last time handed out (see `acquire`)."""
        return max(self._clock(), self._last)

    def used(self) -> int:
        """Requests counting against the current window."""
        if self.period is None:
            return 0
        now = self._now()
        with self._store.edit() as state:
            self._expire(state, now)
            return len(state.slots)

    def _expire(self, state: WindowState, now: float) -> None:
        """Drop the slots that no longer count at `now`."""
        assert self.period is not None
        period = self.period
        state.slots = [
            slot
            for slot in state.slots
            if slot[0] <= now + period  # a start far ahead: a clock stepped back, or stale
            and (
                slot[1] + period > now
                if slot[1] is not None
                else slot[0] + self.IN_FLIGHT_CAP > now and _alive(slot[2])
            )
        ]

    def _admit(
        self, state: WindowState, now: float, token: str, until_released: bool
    ) -> float | None:
        """Count a request at `now` and return None, or return the time to try again at."""
        if state.held > now + 86_400:  # a hold from a clock that was far ahead: ignore it
            state.held = 0.0
        if now < state.held:
            return state.held
        if self.limit is None or self.period is None:
            return None
        self._expire(state, now)
        over = len(state.slots) - self.limit + 1
        if over <= 0:
            state.slots.append([now, None if until_released else now, self._pid, token])
            return None
        ends = sorted(float(slot[1]) for slot in state.slots if slot[1] is not None)
        if len(ends) < over:  # the window is full of requests still in flight
            return now + min(self.POLL, self.period / 4)
        return ends[over - 1] + self.period * (1 + self.MARGIN)

    async def acquire(self, *, until_released: bool = False) -> str:
        """Wait until one more request fits in the window, then count it; returns its token.

        With `until_released`, the request counts until `release(token)` (and `period` after).
        """
        token = uuid.uuid4().hex
        # After a sleep, "now" is the time we meant to wake at (or later): an early wake-up or an
        # injected instant sleep never makes us spin or overshoot the window.
        async with self._lock:
            while True:
                now = self._now()
                with self._store.edit() as state:
                    target = self._admit(state, now, token, until_released)
                if target is None:
                    self._last = now
                    return token
                await self._sleep(target - now)
                self._last = max(self._last, target)

    def release(self, token: str) -> None:
        """The request `token` got its answer (or failed): it counts for `period` more."""
        if self.limit is None:
            return
        now = self._now()
        with self._store.edit() as state:
            for slot in state.slots:
                if slot[3] == token and slot[1] is None:
                    slot[1] = now
                    break


def _alive(pid: object) -> bool:
    """Whether process `pid` still runs (a request it left in flight still counts)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
