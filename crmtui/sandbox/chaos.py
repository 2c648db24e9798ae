"""Chaos for the sandboxes: extra fault kinds, counted faults and virtual time for long runs.

The emulators' own `Faults` (HTML 500 pages, dropped connections after the write, truncated JSON,
rate limits, token expiry) are switched on the apps; `ChaosTransport` wraps the in-process
transport and adds the faults only a network shows, drawn per request from a seeded generator:

- "timeout before apply": the request never reaches the server; the client sees a read timeout.
- "timeout after apply": the server processes the request (a create really creates), then the
  client sees a read timeout: the outcome of a write is unknown to it.
- "gateway 504 after apply": the server processes it, a proxy answers an HTML 504 page.
- "invalid JSON": the server processes it, the answer is 200 with a body that is not JSON.

It also counts, by type, every fault the client meets, whoever injected it (an HTML 5xx page,
a dropped connection, truncated JSON, a 429, a vendor rate-limit error inside a 200, a 401 after a
token expired), so a chaos run can print what it survived.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from collections import Counter
from collections.abc import Mapping

import httpx

TIMEOUT_BEFORE = "timeout before apply"
TIMEOUT_AFTER = "timeout after apply"
GATEWAY_AFTER = "gateway 504 after apply"
INVALID_JSON = "invalid JSON"
INJECTED = (TIMEOUT_BEFORE, TIMEOUT_AFTER, GATEWAY_AFTER, INVALID_JSON)

GATEWAY_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>504 Gateway Time-out</title></head>\n"
    b"<body><h1>504 Gateway Time-out</h1><p>The upstream server did not answer in time.</p>"
    b"</body></html>\n"
)
NOT_JSON = b"<html><body>Service temporarily unavailable; please try again.</body></html>"

# Rate-limit errors inside an answer (LeadSquared MX body, SharpSpring 106/107).
_IN_BODY_LIMITS = (
    (re.compile(rb"APIRateLimitExceeded"), "LeadSquared rate-limit error"),
    (re.compile(rb'"code"\s*:\s*"?10[67]\b'), "SharpSpring 106/107 limit error"),
)


class ChaosTransport(httpx.AsyncBaseTransport):
    """Wraps a transport: injects the network faults above and counts every fault seen."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        rates: Mapping[str, float] | None = None,
        seed: int = 0,
    ) -> None:
        """Inject each kind of `INJECTED` with its rate (0 when absent), drawn from `seed`."""
        unknown = set(rates or {}) - set(INJECTED)
        if unknown:
            raise ValueError(f"unknown fault kinds: {', '.join(sorted(unknown))}")
        self.inner = inner
        self.rates = dict(rates or {})
        self.enabled = True
        self.requests = 0
        self.faults: Counter[str] = Counter()
        self._rng = random.Random(seed)

    def _draw(self) -> str | None:
        if not self.enabled:
            return None
        for kind in INJECTED:
            rate = self.rates.get(kind, 0.0)
            if rate > 0 and self._rng.random() < rate:
                return kind
        return None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Serve one request through the sandbox, maybe with a fault."""
        self.requests += 1
        kind = self._draw()
        if kind == TIMEOUT_BEFORE:
            self.faults[kind] += 1
            raise httpx.ReadTimeout("timed out", request=request)
        try:
            response = await self.inner.handle_async_request(request)
            body = await response.aread()
        except httpx.RemoteProtocolError:
            self.faults["dropped connection"] += 1
            raise
        if kind == TIMEOUT_AFTER:
            self.faults[kind] += 1
            raise httpx.ReadTimeout("timed out", request=request)
        if kind == GATEWAY_AFTER:
            self.faults[kind] += 1
            headers = {"content-type": "text/html; charset=utf-8"}
            return httpx.Response(504, headers=headers, content=GATEWAY_PAGE, request=request)
        if kind == INVALID_JSON:
            self.faults[kind] += 1
            headers = {"content-type": "application/json"}
            return httpx.Response(200, headers=headers, content=NOT_JSON, request=request)
        self._observe(response, body)
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )

    def _observe(self, response: httpx.Response, body: bytes) -> None:
        """Count the sandbox's own faults in an answer."""
        status = response.status_code
        kind = response.headers.get("content-type", "")
        if status == 429:
            self.faults["429 Too Many Requests"] += 1
        elif status >= 500 and "html" in kind:
            self.faults["HTML 5xx page"] += 1
        elif status == 401:
            self.faults["401 (token expired)"] += 1
        if "json" in kind and body:
            try:
                json.loads(body)
            except ValueError:
                self.faults["truncated JSON"] += 1
                return
        if status != 429:
            for pattern, label in _IN_BODY_LIMITS:
                if pattern.search(body[:2000]):
                    self.faults[label] += 1
                    break

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()


class VirtualTime:
    """A clock that jumps instead of sleeping, shared by a sandbox and a client.

    `clock()` is a unix time that advances with real time plus every `sleep`; `sleep` returns at
    once (after yielding to the loop). Rate limits, backoff and Retry-After waits then cost
    nothing, while the schedule they produce stays what it would be in real time.
    """

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        """Start at unix time `start`."""
        self._start = start
        self._began = time.monotonic()
        self.slept = 0.0

    def clock(self) -> float:
        """The virtual unix time."""
        return self._start + (time.monotonic() - self._began) + self.slept

    async def sleep(self, seconds: float) -> None:
        """Advance the clock by `seconds` without waiting."""
        self.slept += max(seconds, 0.0)
        await asyncio.sleep(0)
