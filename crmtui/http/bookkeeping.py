"""VendorHTTP's window and quota book: the budget it shows, quota headers, the waits vendors ask."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from crmtui.errors import RateLimited
from crmtui.http.failures import header_int, reset_time, retry_after_seconds
from crmtui.http.pacing import BudgetSnapshot, Limits, QuotaTracker, RateLimiter
from crmtui.http.retry import RetryBudget, RetryPolicy


class PacingBookkeeping:
    """The pacing half of `VendorHTTP`: what it shows of its window and quota, what it learns
    from the vendor's quota headers, and how it holds every request for a wait the vendor asked for.

    It keeps no state of its own: `VendorHTTP.__init__` sets the attributes below.
    """

    limits: Limits
    retry: RetryPolicy
    retry_budget: RetryBudget
    limiter: RateLimiter
    quota: QuotaTracker
    on_wait: Callable[[float, str], None] | None
    _clock: Callable[[], float]

    def budget(self) -> BudgetSnapshot:
        """The figures the status bar shows: calls, quota, window use, degraded."""
        return BudgetSnapshot(
            calls=self.quota.calls,
            quota_limit=self.quota.limit,
            quota_remaining=self.quota.remaining,
            quota_reset_at=self.quota.reset_at,
            window_limit=self.limiter.limit,
            window_seconds=self.limiter.period,
            window_used=self.limiter.used(),
            degraded=self.retry_budget.degraded,
            quota_period=self.quota.period,
        )

    def note_quota_headers(self, response: httpx.Response) -> None:
        """Read `x-rate-limit-limit`, `-remaining` and `-reset` into the quota tracker."""
        headers = response.headers
        limit = header_int(headers.get("x-rate-limit-limit"))
        remaining = header_int(headers.get("x-rate-limit-remaining"))
        reset_at = reset_time(headers.get("x-rate-limit-reset"), self._clock())
        if limit is not None or remaining is not None:
            self.quota.note(limit, remaining, reset_at)

    def _vendor_wait(self, response: httpx.Response) -> float:
        """How long a 429 asks us to wait: Retry-After, else the quota reset, else a window."""
        now = self._clock()
        wait = retry_after_seconds(response.headers.get("retry-after"), now)
        if wait is None:
            reset_at = reset_time(response.headers.get("x-rate-limit-reset"), now)
            wait = None if reset_at is None else max(reset_at - now, 0.0)
        return self._full_window() if wait is None else wait

    def _full_window(self) -> float:
        return self.limits.window[1] if self.limits.window else 1.0

    def _rate_retry(self, wait: float, attempt: int, reason: str) -> None:
        """Hold all requests for `wait` before the retry, or raise `RateLimited` if we may not."""
        message = f"{reason}; retry in {wait:,.0f} s"
        if wait > self.retry.max_wait or attempt >= self.retry.attempts:
            raise RateLimited(message, retry_after=wait)
        if not self.retry_budget.try_spend():
            raise RateLimited(f"{message} (retries suspended: vendor degraded)", retry_after=wait)
        self.limiter.hold(wait)
        if self.on_wait is not None:
            self.on_wait(wait, message)
