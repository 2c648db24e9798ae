"""Retry policy by operation kind, capped jittered backoff, and a per-vendor retry budget."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum


class OpKind(StrEnum):
    """What a request does, which decides when it may be resent (not its HTTP verb)."""

    READ = "read"
    IDEMPOTENT = "idempotent"
    CREATE = "create"
    """A non-idempotent write: never resent once it may have reached the server."""


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts, how long to back off, and the longest server-requested wait we accept."""

    attempts: int = 3
    base: float = 0.2
    cap: float = 10.0
    max_wait: float = 60.0
    """The longest Retry-After we sleep through; a longer one raises `RateLimited` at once."""

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based): full jitter, capped."""
        ceiling = min(self.cap, self.base * 2 ** max(attempt - 1, 0))
        return (rng or random).uniform(0.0, ceiling)


class RetryBudget:
    """AWS-style token bucket that stops retry storms while a vendor is failing.

    A retry costs 5 tokens (10 after a timeout); each success refunds 1, up to the capacity.
    When a retry cannot be paid for, it is not made and the vendor counts as degraded.
    """

    def __init__(
        self, capacity: int = 500, retry_cost: int = 5, timeout_cost: int = 10, refund: int = 1
    ) -> None:
        self.capacity = capacity
        self.tokens = capacity
        self.retry_cost = retry_cost
        self.timeout_cost = timeout_cost
        self.refund = refund

    @property
    def degraded(self) -> bool:
        """Whether retries are currently refused."""
        return self.tokens < self.retry_cost

    def try_spend(self, *, timeout: bool = False) -> bool:
        """Pay for one retry; False (and nothing spent) when the budget cannot cover it."""
        cost = self.timeout_cost if timeout else self.retry_cost
        if self.tokens < cost:
            return False
        self.tokens -= cost
        return True

    def success(self) -> None:
        """A request succeeded: refund a little."""
        self.tokens = min(self.capacity, self.tokens + self.refund)
