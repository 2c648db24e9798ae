"""Pacing uses the vendor's whole window even when answers are slow, and backs off when told."""

from __future__ import annotations

import asyncio
import time

import httpx

from crmtui.http import Limits, OpKind, RateLimiter, VendorHTTP
from tests.http_layer.http_fakes import FakeTime
from tests.http_layer.test_http_pacing import max_in_any_window


async def test_slow_answers_do_not_slow_the_pace_below_the_window() -> None:
    arrivals: list[float] = []

    async def vendor(request: httpx.Request) -> httpx.Response:
        arrivals.append(time.monotonic())
        await asyncio.sleep(0.25)  # the answer takes a quarter of a second to come back
        return httpx.Response(200, json={})

    client = httpx.AsyncClient(transport=httpx.MockTransport(vendor))
    async with VendorHTTP(client, vendor="t", limits=Limits(window=(10, 0.5))) as http:
        started = time.monotonic()
        await asyncio.gather(
            *(http.request("GET", "https://v.test/x", op=OpKind.READ) for _ in range(30))
        )
        took = time.monotonic() - started
    assert len(arrivals) == 30
    # never more than 10 in any window the vendor counts (20 ms of scheduling jitter allowed)
    assert max_in_any_window(arrivals, 0.48) <= 10
    # two full windows and the last answer: ~1.3 s; counting each request until its answer
    # came back took three windows of 0.5 + 0.25 s (~1.8 s)
    assert took < 1.6


async def test_told_the_window_was_exceeded_it_counts_requests_until_their_answer() -> None:
    fake = FakeTime()
    limiter = RateLimiter((2, 1.0), clock=fake.clock, sleep=fake.sleep)
    for _ in range(2):
        await limiter.acquire(until_released=True)
    waited = fake.now
    await limiter.acquire(until_released=True)  # the window's first two sends are a period old
    assert 1.0 < fake.now - waited < 1.1
    while limiter.spread is not None:
        limiter.widen()
    fake.now += 10
    first = [await limiter.acquire(until_released=True) for _ in range(2)]
    before = fake.now
    third = asyncio.ensure_future(limiter.acquire(until_released=True))
    for _ in range(40):  # still in flight: however long, the third one waits
        await asyncio.sleep(0)
    assert not third.done() and fake.now - before > 1.5
    for token in first:
        limiter.release(token)
    released = fake.now
    await third
    assert fake.now >= released + 1.0


async def test_a_rate_limit_answer_widens_the_spread() -> None:
    answers = [
        httpx.Response(429, headers={"Retry-After": "0"}),
        httpx.Response(200, json={}),
    ]

    def vendor(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    client = httpx.AsyncClient(transport=httpx.MockTransport(vendor))
    async with VendorHTTP(client, vendor="t", limits=Limits(window=(10, 1.0))) as http:
        before = http.limiter.spread
        assert before is not None
        await http.request("GET", "https://v.test/x", op=OpKind.READ)
        assert http.limiter.spread is not None and http.limiter.spread > before
