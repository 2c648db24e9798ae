"""The chaos suite (CI size): every vendor through every fault, no edit lost, no duplicate, no leak.

The full run (1,000+ operations per vendor) is `python scripts/chaos.py`; this one is smaller but
runs the same code. The sabotage tests show the audit would notice a lost edit, a duplicate
create and a leaked secret, so a clean result means something.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from crmtui.errors import UnknownOutcome
from crmtui.model import Record
from crmtui.sandbox.chaos import (
    GATEWAY_AFTER,
    INVALID_JSON,
    TIMEOUT_AFTER,
    TIMEOUT_BEFORE,
    ChaosTransport,
    VirtualTime,
)

from .runner import ChaosRun, run_chaos, table

CI_OPERATIONS = 150
NETWORK = {TIMEOUT_BEFORE, TIMEOUT_AFTER, GATEWAY_AFTER, INVALID_JSON}
SANDBOX = {"HTML 5xx page", "dropped connection", "truncated JSON"}
RATE_LIMITS = {
    "cmdatamanager": "429 Too Many Requests",
    "sharpspring": "SharpSpring 106/107 limit error",
    "leadsquared": "429 Too Many Requests",
}


@pytest.mark.parametrize(
    "vendor", ["cmdatamanager", "sharpspring", "leadsquared", "influencersoft"]
)
async def test_chaos_loses_no_edit_makes_no_duplicate_leaks_no_secret(vendor: str) -> None:
    report = await run_chaos(vendor, CI_OPERATIONS, seed=11)
    print("\n" + table([report]))
    assert report.operations == CI_OPERATIONS
    assert report.lost == []
    assert report.duplicates == 0
    assert report.leaked == []
    # The faults really happened, and the run really wrote.
    if vendor != "influencersoft":  # its few calls per operation meet fewer faults
        assert set(report.faults) >= NETWORK | SANDBOX, report.faults
    assert report.fault_total >= 15 and report.retries > 0
    if vendor in RATE_LIMITS:
        assert report.faults[RATE_LIMITS[vendor]] > 0
    if vendor == "leadsquared":
        assert report.faults["LeadSquared rate-limit error"] > 0  # inside an HTTP 200
    if vendor == "cmdatamanager":
        assert report.faults["401 (token expired)"] > 0
    if vendor == "sharpspring":
        assert report.ops["batch: partial failures seen"] == report.ops["batch"] > 0
    assert report.committed >= 50 and report.applied >= 40
    # After the settle, only what needs a person is left, and it is in the outbox.
    assert set(report.pending_end) <= {"failed", "conflict", "unknown"}


async def test_the_audit_counts_an_edit_the_server_never_got_as_lost() -> None:
    run = ChaosRun("cmdatamanager", seed=3, records=80)
    real_open = run.rig.open

    async def open_lying(transport: Any) -> Any:
        session = await real_open(transport)
        backend = session.backend

        async def update(entity: str, record_id: str, changes: Any) -> Record:
            return await backend.get(entity, record_id)  # "done!" without sending

        backend.update = update  # type: ignore[method-assign]
        return session

    run.rig.open = open_lying  # type: ignore[method-assign]
    report = await run.run(40)
    assert report.lost, "a backend that drops updates must show up as lost edits"


async def test_the_audit_counts_a_resent_create_as_a_duplicate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from crmtui.http import client

    real = client.VendorHTTP._transport_failure

    def resend_creates(self: Any, request: Any, op: Any, attempt: int, failure: Any) -> Any:
        error = real(self, request, op, attempt, failure)
        return None if isinstance(error, UnknownOutcome) else error  # blindly resend

    monkeypatch.setattr(client.VendorHTTP, "_transport_failure", resend_creates)
    run = ChaosRun("cmdatamanager", seed=5, records=80)
    run.chaos.rates = {TIMEOUT_AFTER: 0.5}
    session = await run.restart()
    for _ in range(30):
        await run._step("create")
    run.audit_end()
    await session.aclose()
    assert run.report.duplicates > 0


async def test_the_audit_finds_a_secret_in_any_text_it_saw() -> None:
    run = ChaosRun("leadsquared", seed=1, records=40)
    secret = run.rig.canary["secret_key"]
    assert run.leaks([f"GET /x?secretKey={secret}"]) == ["secret_key"]
    assert run.leaks(["GET /x?secretKey=***"]) == []


async def test_chaos_transport_timeout_after_apply_lets_the_write_land() -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    from crmtui.sandbox.transport import in_process_transport

    chaos = ChaosTransport(in_process_transport(app), rates={TIMEOUT_AFTER: 1.0})
    async with httpx.AsyncClient(transport=chaos, base_url="https://x.invalid") as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post("/create")
    assert seen == ["/create"] and chaos.faults == {TIMEOUT_AFTER: 1}
    before = ChaosTransport(in_process_transport(app), rates={TIMEOUT_BEFORE: 1.0})
    async with httpx.AsyncClient(transport=before, base_url="https://x.invalid") as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post("/again")
    assert seen == ["/create"]


async def test_virtual_time_moves_on_without_waiting() -> None:
    vt = VirtualTime(start=1000.0)
    await vt.sleep(3600)
    assert 4600.0 <= vt.clock() < 4610.0
