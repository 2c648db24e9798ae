"""Retries follow what a request does: 429 and refused connections always, 5xx and drops only
for reads and idempotent writes, never a create that may have reached the server."""

from __future__ import annotations

import socket
from email.utils import formatdate

import httpx
import pytest

from crmtui.errors import RateLimited, TransportError, UnknownOutcome, VendorError
from crmtui.http import Limits, LogEntry, OpKind, RetryBudget, RetryPolicy, VendorHTTP
from tests.http_layer.http_fakes import EPOCH, FakeTime, Script, make_http

ALL_KINDS = list(OpKind)


@pytest.mark.parametrize("op", ALL_KINDS)
async def test_429_waits_for_retry_after_seconds_then_retries(op: OpKind) -> None:
    fake = FakeTime()
    script = Script((429, {"Retry-After": "3"}), 200)
    http = make_http(script, fake)
    waits: list[float] = []
    http.on_wait = lambda seconds, reason: waits.append(seconds)
    response = await http.request("POST", "/leads", op=op, json={"a": 1})
    assert response.status_code == 200
    assert len(script.requests) == 2
    assert waits == [3.0]
    assert sum(fake.sleeps) == pytest.approx(3.0, abs=0.05)
    await http.aclose()


async def test_429_retry_after_as_http_date() -> None:
    fake = FakeTime()
    when = formatdate(fake.now + 7, usegmt=True)
    script = Script((429, {"Retry-After": when}), 200)
    http = make_http(script, fake)
    assert (await http.request("GET", "/x", op=OpKind.READ)).status_code == 200
    assert sum(fake.sleeps) == pytest.approx(7.0, abs=0.05)
    await http.aclose()


async def test_429_honours_x_rate_limit_reset() -> None:
    fake = FakeTime()
    reset = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(fake.now) + 20)}
    script = Script((429, reset), 200)
    http = make_http(script, fake)
    assert (await http.request("GET", "/x", op=OpKind.CREATE)).status_code == 200
    assert sum(fake.sleeps) == pytest.approx(20.0, abs=0.05)
    await http.aclose()


async def test_429_without_hints_waits_a_full_window() -> None:
    fake = FakeTime()
    script = Script(429, 200)
    http = make_http(script, fake, limits=Limits(window=(25, 5.0)))
    await http.request("GET", "/x", op=OpKind.READ)
    assert sum(fake.sleeps) == pytest.approx(5.0, abs=0.05)
    await http.aclose()


async def test_429_longer_than_max_wait_raises_at_once() -> None:
    fake = FakeTime()
    reset = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(fake.now) + 3600)}
    script = Script((429, reset), 200)
    http = make_http(script, fake, retry=RetryPolicy(max_wait=60.0))
    with pytest.raises(RateLimited) as raised:
        await http.request("GET", "/x", op=OpKind.READ)
    assert raised.value.retry_after == pytest.approx(3600)
    assert len(script.requests) == 1
    assert fake.sleeps == []
    await http.aclose()


async def test_429_every_time_gives_up_after_the_attempts() -> None:
    fake = FakeTime()
    script = Script((429, {"Retry-After": "1"}))
    http = make_http(script, fake, retry=RetryPolicy(attempts=3))
    with pytest.raises(RateLimited) as raised:
        await http.request("GET", "/x", op=OpKind.READ)
    assert len(script.requests) == 3
    assert raised.value.retry_after == 1.0
    assert "429" in str(raised.value)
    await http.aclose()


def sharpspring_check(response: httpx.Response) -> None:
    """A backend hook: SharpSpring reports its per-second limit (error 107) inside HTTP 200."""
    body = response.json()
    if (body.get("error") or {}).get("code") == 107:
        raise RateLimited("SharpSpring: too many requests per second")
    if body.get("error"):
        raise VendorError(body["error"]["message"], code=body["error"]["code"])


async def test_in_body_rate_limit_from_check_is_retried_even_for_create() -> None:
    fake = FakeTime()
    limited: tuple[int, dict[str, str], object] = (
        200,
        {},
        {"result": None, "error": {"code": 107, "message": "limit"}},
    )
    created: tuple[int, dict[str, str], object] = (
        200,
        {},
        {"result": {"creates": [{"success": True, "id": 9}]}, "error": None},
    )
    script = Script(limited, created)
    http = make_http(script, fake, limits=Limits(window=(10, 1.0)))
    response = await http.request(
        "POST", "/api", op=OpKind.CREATE, json={"method": "createLeads"}, check=sharpspring_check
    )
    assert response.json()["result"]["creates"][0]["id"] == 9
    assert len(script.requests) == 2
    assert sum(fake.sleeps) == pytest.approx(1.0, abs=0.05)
    await http.aclose()


async def test_other_check_errors_propagate_without_retry() -> None:
    fake = FakeTime()
    script = Script((200, {}, {"error": {"code": 205, "message": "bad params"}}))
    http = make_http(script, fake)
    with pytest.raises(VendorError, match="bad params"):
        await http.request("POST", "/api", op=OpKind.READ, check=sharpspring_check)
    assert len(script.requests) == 1
    await http.aclose()


@pytest.mark.parametrize("op", [OpKind.READ, OpKind.IDEMPOTENT])
async def test_5xx_is_retried_with_capped_jittered_backoff(op: OpKind) -> None:
    fake = FakeTime()
    script = Script(503, 502, 200)
    policy = RetryPolicy(attempts=3, base=0.5, cap=0.75)
    http = make_http(script, fake, retry=policy)
    assert (await http.request("PUT", "/x", op=op)).status_code == 200
    assert len(script.requests) == 3
    assert len(fake.sleeps) == 2
    assert 0 <= fake.sleeps[0] <= 0.5
    assert 0 <= fake.sleeps[1] <= 0.75
    await http.aclose()


async def test_5xx_on_create_is_returned_not_resent() -> None:
    fake = FakeTime()
    script = Script(500, 200)
    http = make_http(script, fake)
    response = await http.request("POST", "/leads", op=OpKind.CREATE, json={"n": 1})
    assert response.status_code == 500
    assert len(script.requests) == 1
    await http.aclose()


async def test_5xx_for_a_read_is_returned_after_the_last_attempt() -> None:
    fake = FakeTime()
    script = Script(500)
    http = make_http(script, fake)
    assert (await http.request("GET", "/x", op=OpKind.READ)).status_code == 500
    assert len(script.requests) == 3
    await http.aclose()


@pytest.mark.parametrize("status", [400, 401, 404, 409, 422])
async def test_other_4xx_are_returned_and_never_retried(status: int) -> None:
    fake = FakeTime()
    script = Script(status, 200)
    http = make_http(script, fake)
    assert (await http.request("GET", "/x", op=OpKind.READ)).status_code == status
    assert len(script.requests) == 1
    await http.aclose()


@pytest.mark.parametrize("fault", [httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError])
async def test_create_that_may_have_arrived_becomes_unknown_and_is_sent_once(
    fault: type[Exception],
) -> None:
    fake = FakeTime()
    script = Script(fault, 201)
    http = make_http(script, fake)
    with pytest.raises(UnknownOutcome) as raised:
        await http.request("POST", "/leads", op=OpKind.CREATE, json={"FirstName": "Ada"})
    assert len(script.requests) == 1
    assert "api.vendor.test" in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__context__ is None
    await http.aclose()


@pytest.mark.parametrize("fault", [httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError])
async def test_reads_retry_timeouts_and_drops(fault: type[Exception]) -> None:
    fake = FakeTime()
    script = Script(fault, 200)
    http = make_http(script, fake)
    assert (await http.request("GET", "/x", op=OpKind.READ)).status_code == 200
    assert len(script.requests) == 2
    await http.aclose()


@pytest.mark.parametrize("op", ALL_KINDS)
async def test_connection_refused_is_retried_for_every_kind(op: OpKind) -> None:
    fake = FakeTime()
    script = Script(httpx.ConnectError, httpx.ConnectError, 201)
    http = make_http(script, fake)
    assert (await http.request("POST", "/leads", op=op)).status_code == 201
    assert len(script.requests) == 3
    await http.aclose()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_unreachable_vendor_gives_a_human_transport_error() -> None:
    fake = FakeTime()
    port = closed_port()
    client = httpx.AsyncClient()
    http = VendorHTTP(client, vendor="t", sleep=fake.sleep, clock=fake.clock)
    with pytest.raises(TransportError) as raised:
        await http.request("POST", f"http://127.0.0.1:{port}/leads", op=OpKind.CREATE)
    assert str(raised.value) == f"could not reach 127.0.0.1:{port}: connection refused"
    assert not isinstance(raised.value, UnknownOutcome)
    assert [entry.attempt for entry in http.log.entries] == [1, 2, 3]
    assert raised.value.__context__ is None
    await http.aclose()


async def test_exhausted_retry_budget_stops_retries_and_reports_degraded() -> None:
    fake = FakeTime()
    script = Script(503)
    http = make_http(script, fake)
    http.retry_budget = RetryBudget(capacity=10)
    await http.request("GET", "/x", op=OpKind.READ)  # 3 attempts, 2 retries: budget spent
    assert len(script.requests) == 3
    assert http.budget().degraded
    assert "vendor degraded" in http.budget().label()
    await http.request("GET", "/x", op=OpKind.READ)
    assert len(script.requests) == 4  # no retry while degraded
    await http.aclose()


async def test_successes_refill_the_budget() -> None:
    fake = FakeTime()
    script = Script(*([200] * 5))
    http = make_http(script, fake)
    http.retry_budget = RetryBudget(capacity=10)
    http.retry_budget.tokens = 0
    assert http.budget().degraded
    for _ in range(5):
        await http.request("GET", "/x", op=OpKind.READ)
    assert not http.budget().degraded
    await http.aclose()


async def test_every_request_has_a_timeout_with_per_call_override() -> None:
    fake = FakeTime()
    script = Script(200)
    http = make_http(script, fake)
    await http.request("GET", "/x", op=OpKind.READ)
    await http.request("GET", "/x", op=OpKind.READ, timeout=5.0)
    timeouts = [r.extensions["timeout"] for r in script.requests]
    assert timeouts[0] == {"connect": 30.0, "read": 30.0, "write": 30.0, "pool": 30.0}
    assert timeouts[1]["read"] == 5.0
    await http.aclose()


async def test_never_sends_expect_100_continue() -> None:
    fake = FakeTime()
    script = Script(200)
    http = make_http(script, fake)
    body = {"method": "updateLeads", "params": {"objects": [{"note": "x" * 5000}]}}
    await http.request(
        "POST", "/api", op=OpKind.IDEMPOTENT, json=body, headers={"Expect": "100-continue"}
    )
    assert "expect" not in script.requests[0].headers
    assert len(script.requests[0].content) > 5000
    await http.aclose()


async def test_every_attempt_is_logged() -> None:
    fake = FakeTime()
    script = Script(503, (200, {}, {"data": "x" * 100}))
    http = make_http(script, fake)
    seen: list[LogEntry] = []
    unsubscribe = http.log.subscribe(seen.append)
    await http.request("POST", "/leads?page=2", op=OpKind.READ, json={"q": "abc"})
    unsubscribe()
    await http.request("GET", "/other", op=OpKind.READ)
    first, second, third = http.log.entries
    assert (first.status, first.attempt, second.status, second.attempt) == (503, 1, 200, 2)
    assert first.method == "POST" and first.url == "https://api.vendor.test/leads?page=2"
    assert first.sent == len(b'{"q":"abc"}') and second.received > 100
    assert first.op == "read" and first.error is None and first.started == EPOCH
    assert seen == [first, second]
    assert http.log.count == 3 and http.log.last == third
    await http.aclose()
