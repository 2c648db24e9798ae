"""A request counts against the window until one period after the head of its answer, not after
the end of a body still on its way (a big page over a slow link), and the body is still read."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from crmtui.errors import TransportError
from crmtui.http import Limits, OpKind, RetryPolicy, VendorHTTP

BODY_S = 1.0  # how long each answer's body takes to arrive after its head
PERIOD = 0.5  # one request a PERIOD


class SlowBody(httpx.AsyncByteStream):
    """A body in two halves, BODY_S apart (or broken after the first, `broken`)."""

    def __init__(self, broken: bool = False) -> None:
        self.broken = broken

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"page": ['
        await asyncio.sleep(BODY_S)
        if self.broken:
            raise httpx.ReadError("connection reset")
        yield b"1, 2, 3]}"


def vendor(sent: list[float], broken: bool = False) -> VendorHTTP:
    async def handler(request: httpx.Request) -> httpx.Response:
        sent.append(time.monotonic())
        return httpx.Response(200, stream=SlowBody(broken))

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    once = RetryPolicy(attempts=1)
    return VendorHTTP(client, vendor="t", limits=Limits(window=(1, PERIOD)), retry=once)


async def test_the_next_request_waits_a_period_from_the_answers_head_not_its_end() -> None:
    sent: list[float] = []
    async with vendor(sent) as http:
        for _ in range(2):
            response = await http.request("GET", "https://v.test/x", op=OpKind.READ)
            assert response.json() == {"page": [1, 2, 3]}  # the whole body, read
    gap = sent[1] - sent[0]
    # The first call reached the vendor before its head came back: the second may go one
    # period after that head (about PERIOD after the first), long before BODY_S + PERIOD.
    assert PERIOD <= gap < BODY_S + PERIOD - 0.3


async def test_a_body_broken_midway_is_a_transport_error() -> None:
    sent: list[float] = []
    async with vendor(sent, broken=True) as http:
        with pytest.raises(TransportError, match="no usable answer"):
            await http.request("GET", "https://v.test/x", op=OpKind.READ)
    assert len(sent) == 1
