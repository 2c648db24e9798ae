"""Fakes for the HTTP layer's tests: a controllable clock and a scripted vendor transport."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from typing import Any

import httpx

from crmtui.http import Limits, RetryPolicy, VendorHTTP

EPOCH = 1_700_000_000.0

# A step is a status code, (status, headers[, json body]), an httpx exception class, or a callable
# taking the request and returning a Response.
Step = Any


class FakeTime:
    """A wall clock that only moves when the code under test sleeps; every sleep is recorded."""

    def __init__(self, start: float = EPOCH) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


class Script:
    """A fake vendor answering with the given steps in turn (the last one repeats)."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        request.read()
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, type) and issubclass(step, Exception):
            if issubclass(step, httpx.RequestError):
                raise step("simulated failure", request=request)
            raise step("simulated failure")
        if callable(step):
            result: httpx.Response = step(request)
            return result
        if isinstance(step, int):
            return httpx.Response(step, json={"status": step})
        status, headers, *body = step
        return httpx.Response(status, headers=headers, json=body[0] if body else {"ok": status})


def make_http(
    script: Callable[[httpx.Request], httpx.Response],
    fake: FakeTime,
    *,
    limits: Limits = Limits(),  # noqa: B008
    retry: RetryPolicy = RetryPolicy(),  # noqa: B008
    base_url: str = "https://api.vendor.test",
) -> VendorHTTP:
    """A VendorHTTP over a MockTransport, with instant recorded sleeps and a fixed clock."""
    client = httpx.AsyncClient(transport=httpx.MockTransport(script), base_url=base_url)
    return VendorHTTP(
        client,
        vendor="testvendor",
        limits=limits,
        retry=retry,
        sleep=fake.sleep,
        clock=fake.clock,
        rng=random.Random(7),
    )


def chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything reachable through __cause__ and __context__."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop()
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [item.__cause__, item.__context__]
    return seen
