"""A client over an emulator that keeps every request it sends, and the HTTP layer over it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from crmtui.http.client import VendorHTTP
from crmtui.http.pacing import Limits
from crmtui.http.redact import Redactor
from crmtui.sandbox.transport import in_process_transport

Sent = tuple[list[httpx.Request], httpx.AsyncClient]


def spied_transport(app: Any) -> tuple[list[httpx.Request], httpx.AsyncBaseTransport]:
    """(the requests sent so far, `app`'s in-process transport that records them)."""
    requests: list[httpx.Request] = []
    inner = in_process_transport(app)

    class Spy(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            requests.append(request)
            return await inner.handle_async_request(request)

    return requests, Spy()


@asynccontextmanager
async def spied_client(app: Any) -> AsyncIterator[Sent]:
    """(the requests sent so far, a client over `app`'s in-process transport)."""
    requests, transport = spied_transport(app)
    async with httpx.AsyncClient(transport=transport) as client:
        yield requests, client


def vendor_http(client: httpx.AsyncClient, vendor: str) -> VendorHTTP:
    """The shared HTTP layer over `client`, unpaced, with an empty redactor."""
    return VendorHTTP(client, vendor=vendor, limits=Limits(), redactor=Redactor())
