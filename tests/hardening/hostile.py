"""A rewriting proxy for the demo: every answer of the in-process sandboxes can be replaced, as a
hostile or broken server would (the `crmtui --demo` path is otherwise the user's own)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

import crmtui.sandbox.transport as sandbox_transport

Rewrite = Callable[[httpx.Request, httpx.Response], httpx.Response | None]


class Rewriting(httpx.AsyncBaseTransport):
    """Passes each request to `inner`; `rewrite` may answer instead (None keeps the answer)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, rewrite: Rewrite) -> None:
        self.inner = inner
        self.rewrite = rewrite
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = await self.inner.handle_async_request(request)
        await response.aread()
        replaced = self.rewrite(request, response)
        return response if replaced is None else replaced


def rewrite_demo(monkeypatch: pytest.MonkeyPatch, rewrite: Rewrite) -> list[httpx.Request]:
    """Make every demo transport made from now on go through `rewrite`; the requests seen."""
    seen: list[httpx.Request] = []
    original = sandbox_transport.in_process_transport

    def wrapped(app: object) -> httpx.AsyncBaseTransport:
        proxy = Rewriting(original(app), rewrite)  # type: ignore[arg-type]
        proxy.requests = seen
        return proxy

    monkeypatch.setattr(sandbox_transport, "in_process_transport", wrapped)
    return seen


def deep_json(depth: int) -> bytes:
    """A JSON document nested `depth` levels deep (arrays in an object)."""
    return b'{"Entity": ' + b"[" * depth + b"]" * depth + b', "Total Records": "1"}'
