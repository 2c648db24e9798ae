"""A distinctive secret sent in the query string, a header and a JSON body never shows up in the
request log, in any error (message, repr, chain) or in httpx/httpcore log output at DEBUG."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from crmtui.errors import CrmError, RateLimited, TransportError, UnknownOutcome, VendorError
from crmtui.http import OpKind, VendorHTTP
from tests.http_layer.http_fakes import FakeTime, Script, chain, make_http

FRAGMENT = "k7Qx9s3cr3t"
CANARY = FRAGMENT + "+/Zz! ok"  # URL-encodes differently in a query, a path and a form


def leaked(text: str) -> bool:
    return FRAGMENT in text


async def call(
    http: VendorHTTP, op: OpKind, check: Callable[[httpx.Response], None] | None = None
) -> httpx.Response:
    """Send the secret in the query string, two headers and the JSON body."""
    return await http.request(
        "POST",
        "/v1/leads",
        op=op,
        params={"accountID": "42", "secretKey": CANARY},
        headers={"x-api-key": CANARY, "Authorization": f"Bearer {CANARY}"},
        json={"method": "getLeads", "auth": {"password": CANARY}},
        check=check,
    )


def assert_clean(exc: BaseException, http: VendorHTTP, caplog: pytest.LogCaptureFixture) -> None:
    for item in chain(exc):
        assert not leaked(str(item)), item
        assert not leaked(repr(item)), item
        assert not leaked(repr(item.args))
    assert exc.__cause__ is None and exc.__context__ is None
    assert http.log.entries, "nothing was logged"
    for entry in http.log.entries:
        assert not leaked(repr(entry))
    assert "secretKey=***" in http.log.entries[0].url
    assert "HTTP Request" in caplog.text or not any(e.status for e in http.log.entries)
    assert not leaked(caplog.text)
    assert not any(leaked(record.getMessage()) for record in caplog.records)
    assert not leaked(repr(http)) and not leaked(http.budget().label())


def leaky_check(response: httpx.Response) -> None:
    """A careless backend hook: quotes the URL and chains an exception holding the secret."""
    try:
        raise ValueError(f"could not parse answer to {response.request.url}")
    except ValueError as inner:
        raise VendorError(f"odd answer from {response.request.url}", code=CANARY) from inner


def careless_check(response: httpx.Response) -> None:
    raise KeyError(f"missing key in answer to {response.request.url}")


SCENARIOS: list[tuple[str, list[object], OpKind, type[BaseException], Callable[..., None] | None]]
SCENARIOS = [
    ("timeouts", [httpx.ReadTimeout], OpKind.READ, TransportError, None),
    ("dropped create", [httpx.RemoteProtocolError], OpKind.CREATE, UnknownOutcome, None),
    ("refused", [httpx.ConnectError], OpKind.IDEMPOTENT, TransportError, None),
    ("long 429", [(429, {"Retry-After": "7200"})], OpKind.READ, RateLimited, None),
    ("vendor error", [200], OpKind.READ, VendorError, leaky_check),
    ("bug in check", [200], OpKind.READ, KeyError, careless_check),
]


@pytest.mark.parametrize(
    ("steps", "op", "expected", "check"),
    [s[1:] for s in SCENARIOS],
    ids=[s[0] for s in SCENARIOS],
)
async def test_errors_and_logs_hold_no_secret(
    caplog: pytest.LogCaptureFixture,
    steps: list[object],
    op: OpKind,
    expected: type[BaseException],
    check: Callable[[httpx.Response], None] | None,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakeTime()
    script = Script(*steps)
    http = make_http(script, fake)
    with pytest.raises(expected) as raised:
        await call(http, op, check=check)
    assert leaked(str(script.requests[0].url)), "the secret was not actually sent"
    assert_clean(raised.value, http, caplog)
    if isinstance(raised.value, CrmError):
        assert not leaked(raised.value.message)
    await http.aclose()


async def test_spent_quota_error_holds_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakeTime()
    spent = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(fake.now) + 900)}
    http = make_http(Script((200, spent)), fake)
    await call(http, OpKind.READ)
    with pytest.raises(RateLimited) as raised:
        await call(http, OpKind.READ)
    assert_clean(raised.value, http, caplog)
    await http.aclose()


@pytest.fixture
async def loopback() -> AsyncIterator[str]:
    """A tiny real HTTP/1.1 server on 127.0.0.1 that answers every request with 200 {}."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.close()
    await server.wait_closed()


async def test_real_http_logging_at_debug_holds_no_secret(
    caplog: pytest.LogCaptureFixture, loopback: str
) -> None:
    caplog.set_level(logging.DEBUG)
    http = VendorHTTP(httpx.AsyncClient(base_url=loopback), vendor="t")
    response = await call(http, OpKind.READ)
    assert response.status_code == 200
    assert "HTTP Request: POST" in caplog.text and "secretKey=***" in caplog.text
    assert any(r.name.startswith("httpcore") for r in caplog.records), "no httpcore records"
    assert not leaked(caplog.text)
    await http.aclose()


async def test_real_refused_connection_holds_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fake = FakeTime()
    client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")
    http = VendorHTTP(client, vendor="t", sleep=fake.sleep, clock=fake.clock)
    with pytest.raises(TransportError) as raised:
        await call(http, OpKind.CREATE)
    assert "connection refused" in str(raised.value)
    assert_clean(raised.value, http, caplog)
    await http.aclose()
