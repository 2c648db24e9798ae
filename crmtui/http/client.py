"""VendorHTTP: the request path every backend uses — paced, retried by kind, logged, redacted."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

from crmtui.errors import RateLimited, TransportError, UnknownOutcome
from crmtui.http.bookkeeping import PacingBookkeeping
from crmtui.http.depth import MAX_DEPTH, too_deep
from crmtui.http.failures import Failure, Reach, classify, host_label, scrub
from crmtui.http.log import LogEntry, RequestLog
from crmtui.http.pacing import Limits, QuotaTracker, RateLimiter
from crmtui.http.redact import Redactor, install_log_filter
from crmtui.http.retry import OpKind, RetryBudget, RetryPolicy

Check = Callable[[httpx.Response], None]


class VendorHTTP(PacingBookkeeping):
    """Wraps one injected `httpx.AsyncClient` per profile.

    Every request is paced, counted against the quota, given a timeout, retried according to what
    it does (`OpKind`), logged with its URL redacted, and any error it raises is secret-free.
    `on_wait(seconds, reason)`, when set, is told before every wait the vendor asked for.
    With `pace_file`, every process using that file shares one rate window (the profile's).
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        vendor: str,
        limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, safe as a default
        redactor: Redactor | None = None,
        log: RequestLog | None = None,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen dataclass
        timeout: float = 30.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        pace_file: Path | None = None,
    ) -> None:
        self._client = client
        self.vendor = vendor
        self.limits = limits
        self.redactor = redactor if redactor is not None else Redactor()
        install_log_filter(self.redactor)
        self.log = log if log is not None else RequestLog()
        self.retry = retry
        self.retry_budget = RetryBudget()
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self.limiter = RateLimiter(limits.window, sleep=sleep, shared=pace_file)
        self.quota = QuotaTracker(limits.quota, limits.quota_period, clock=clock)
        self.on_wait: Callable[[float, str], None] | None = None

    def __repr__(self) -> str:
        return f"VendorHTTP(vendor={self.vendor!r})"

    async def request(
        self,
        method: str,
        url: str,
        *,
        op: OpKind,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | str | None = None,
        data: Mapping[str, str] | None = None,
        timeout: float | None = None,
        check: Check | None = None,
    ) -> httpx.Response:
        """Send one logical request, retrying as its `op` allows; returns the final response.

        Raises `RateLimited` (quota spent, or a vendor wait longer than the policy's `max_wait`),
        `UnknownOutcome` (a CREATE that may have reached the server), `TransportError`, or
        whatever `check` raises, all with secrets masked and no exception chain.
        """
        self.redactor.learn(params, headers, data, body=json)
        seconds = self.timeout if timeout is None else timeout
        request = self._build(method, url, params, headers, json, content, data, seconds)
        skip_quota_check = False
        attempt = 0
        while True:
            attempt += 1
            slot = await self.limiter.acquire(until_released=True)
            try:
                if not skip_quota_check:
                    self.quota.check()
                skip_quota_check = False
                self.quota.consume()
                started, began = self._clock(), time.monotonic()
                failure: Failure | None = None
                try:
                    response = await self._client.send(request, stream=True)
                except (httpx.HTTPError, httpx.InvalidURL) as exc:
                    failure = classify(exc, self.redactor, seconds)
            finally:
                # The vendor answers a call only once it has it, so it reached the vendor by the
                # time the answer's head is here (if at all): it counts one window from here,
                # not from the end of a long body still on its way.
                self.limiter.release(slot)
            if failure is None:
                failure = await self._read_body(response, seconds)
            # Errors are raised outside `except` blocks so no httpx exception (which carries the
            # URL) rides along as `__context__`.
            if failure is not None:
                self._record(request, None, started, began, attempt, op, failure.reason)
                error = self._transport_failure(request, op, attempt, failure)
                if error is not None:
                    raise error
                await self._sleep(self.retry.backoff(attempt, self._rng))
                continue
            self.note_quota_headers(response)
            self._record(request, response, started, began, attempt, op, None)
            if too_deep(response.content):
                raise self._unusable(request, op, f"JSON nested over {MAX_DEPTH} levels deep")
            if response.status_code == 429:
                wait = self._vendor_wait(response)
                self._rate_retry(wait, attempt, f"{self.vendor} answered 429 Too Many Requests")
                skip_quota_check = True
                continue
            if (
                response.status_code >= 500
                and op is not OpKind.CREATE
                and attempt < self.retry.attempts
                and self.retry_budget.try_spend()
            ):
                await self._sleep(self.retry.backoff(attempt, self._rng))
                continue
            limited = self._run_check(check, response)
            if limited is not None:
                self._rate_retry(limited[0], attempt, limited[1])
                skip_quota_check = True
                continue
            if response.status_code < 500:
                self.retry_budget.success()
            return response

    async def aclose(self) -> None:
        """Close the wrapped client."""
        await self._client.aclose()

    async def __aenter__(self) -> VendorHTTP:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- internals -----------------------------------------------------------------------------

    async def _read_body(self, response: httpx.Response, seconds: float) -> Failure | None:
        """Read the body of a streamed answer (as `send` without `stream` would); the failure,
        if reading it failed."""
        try:
            await response.aread()
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return classify(exc, self.redactor, seconds)
        finally:
            await response.aclose()
        return None

    def _build(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        json: Any,
        content: bytes | str | None,
        data: Mapping[str, str] | None,
        seconds: float,
    ) -> httpx.Request:
        try:
            request = self._client.build_request(
                method,
                url,
                params=params,
                headers=headers,
                json=json,
                content=content,
                data=data,
                timeout=httpx.Timeout(seconds),
            )
        except (httpx.HTTPError, httpx.InvalidURL, TypeError, ValueError) as exc:
            message = self.redactor.text(f"{type(exc).__name__}: {exc}")
            raise TransportError(f"cannot build the request to {self.vendor}: {message}") from None
        if "expect" in request.headers:  # SharpSpring answers 502 to Expect: 100-continue
            del request.headers["expect"]
        return request

    def _transport_failure(
        self, request: httpx.Request, op: OpKind, attempt: int, failure: Failure
    ) -> TransportError | None:
        """The error to raise for a failed attempt, or None when it should be retried."""
        host = host_label(request.url, self.redactor)
        if failure.reach is Reach.MAYBE_SENT and op is OpKind.CREATE:
            return UnknownOutcome(
                f"{host}: {failure.reason}; the {request.method} may or may not have been "
                "applied — read it back before sending it again"
            )
        if (
            failure.reach is not Reach.FATAL
            and attempt < self.retry.attempts
            and self.retry_budget.try_spend(timeout=failure.timeout)
        ):
            return None
        if failure.reach is Reach.NOT_SENT:
            return TransportError(f"could not reach {host}: {failure.reason}")
        return TransportError(f"no usable answer from {host}: {failure.reason}")

    def _unusable(self, request: httpx.Request, op: OpKind, why: str) -> TransportError:
        """The error for an answer no backend can use (the request did reach the server)."""
        host = host_label(request.url, self.redactor)
        if op is OpKind.CREATE:
            return UnknownOutcome(
                f"{host} answered with {why}; the {request.method} may or may not have been "
                "applied — read it back before sending it again"
            )
        return TransportError(f"no usable answer from {host}: {why}")

    def _run_check(self, check: Check | None, response: httpx.Response) -> tuple[float, str] | None:
        """Run the backend's check; a `RateLimited` becomes (wait, reason), anything else is
        raised secret-free and unchained."""
        if check is None:
            return None
        error: BaseException | None = None
        try:
            check(response)
        except RateLimited as exc:
            wait = exc.retry_after if exc.retry_after is not None else self._full_window()
            return wait, self.redactor.text(exc.message)
        except Exception as exc:
            error = exc
        if error is not None:
            raise scrub(error, self.redactor)
        return None

    def _record(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        started: float,
        began: float,
        attempt: int,
        op: OpKind,
        error: str | None,
    ) -> None:
        try:
            sent = len(request.content)
        except httpx.RequestNotRead:
            sent = 0
        self.log.add(
            LogEntry(
                started=started,
                method=request.method,
                url=self.redactor.url(request.url),
                status=None if response is None else response.status_code,
                duration=time.monotonic() - began,
                sent=sent,
                received=0 if response is None else len(response.content),
                attempt=attempt,
                error=None if error is None else self.redactor.text(error),
                op=op.value,
            )
        )
