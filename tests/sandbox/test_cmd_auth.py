"""CMDataManager emulator: authentication, token expiry, rate-limit headers and 429."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from crmtui.sandbox.cmdatamanager.app import create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport

from .conftest import CRED_HEADERS, START, FakeClock


async def test_authenticate_returns_a_working_token(anon: httpx.AsyncClient) -> None:
    r = await anon.post("/authenticate", headers=CRED_HEADERS)
    assert r.status_code == 200
    token = r.json()["token"]
    assert int(r.headers["x-token-reset"]) == START + 3600
    listed = await anon.get("/lead", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200


async def test_wrong_credentials_are_401_without_echoing_them(anon: httpx.AsyncClient) -> None:
    r = await anon.post("/authenticate", headers={**CRED_HEADERS, "password": "Zq-canary-77"})
    assert r.status_code == 401
    assert r.json() == {"Message": "Authentication failed."}
    assert "Zq-canary-77" not in r.text


async def test_missing_credential_header_is_400_naming_it(anon: httpx.AsyncClient) -> None:
    headers = {k: v for k, v in CRED_HEADERS.items() if k != "client_secret"}
    r = await anon.post("/authenticate", headers=headers)
    assert r.status_code == 400
    assert "client_secret" in r.json()["Message"]


async def test_requests_without_or_with_bad_token_are_401(anon: httpx.AsyncClient) -> None:
    assert (await anon.get("/lead")).status_code == 401
    r = await anon.get("/lead", headers={"Authorization": "Bearer nonsense"})
    assert r.status_code == 401 and "Message" in r.json()
    assert "x-token-reset" not in r.headers


async def test_token_expires_after_ttl(client: httpx.AsyncClient, clock: FakeClock) -> None:
    clock.now = START + 3599
    assert (await client.get("/lead/fields")).status_code == 200
    clock.now = START + 3600
    r = await client.get("/lead/fields")
    assert r.status_code == 401 and "expired" in r.json()["Message"]


async def test_early_expiry_fault(
    client: httpx.AsyncClient, app: Starlette, clock: FakeClock
) -> None:
    app.state.faults.token_ttl = 5.0
    clock.now = START + 4
    ok = await client.get("/lead/fields")
    assert ok.status_code == 200 and int(ok.headers["x-token-reset"]) == START + 3600
    clock.now = START + 6
    assert (await client.get("/lead/fields")).status_code == 401


async def test_rate_headers_count_down_and_reset_at_hour_end(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    first = await client.get("/lead/fields")
    second = await client.get("/lead/fields")
    assert first.headers["x-rate-limit-limit"] == "1000"
    assert int(first.headers["x-rate-limit-remaining"]) == 998  # authenticate counted too
    assert int(second.headers["x-rate-limit-remaining"]) == 997
    assert int(first.headers["x-rate-limit-reset"]) == START + 3600
    assert int(first.headers["x-token-reset"]) == START + 3600
    clock.now = START + 3600 + 1
    fresh = await client.post("/authenticate", headers=CRED_HEADERS)
    assert fresh.headers["x-rate-limit-remaining"] == "999"
    assert int(fresh.headers["x-rate-limit-reset"]) == START + 7200


async def test_429_when_hourly_budget_is_spent(clock: FakeClock) -> None:
    app = create_app(Store(), records=5, clock=clock, hourly_limit=3, token_ttl=7200)
    async with httpx.AsyncClient(
        transport=in_process_transport(app), base_url="http://s/api/v1"
    ) as c:
        token = (await c.post("/authenticate", headers=CRED_HEADERS)).json()["token"]
        c.headers["Authorization"] = f"Bearer {token}"
        assert (await c.get("/lead")).status_code == 200
        assert (await c.get("/lead")).status_code == 200
        spent = await c.get("/lead")
        assert spent.status_code == 429
        assert spent.headers["x-rate-limit-remaining"] == "0"
        assert "Message" in spent.json()
        clock.now = START + 3600
        assert (await c.get("/lead")).status_code == 200


async def test_exhausted_fault_gives_429(client: httpx.AsyncClient, app: Starlette) -> None:
    app.state.faults.rate_limit_exhausted = True
    r = await client.get("/lead")
    assert r.status_code == 429 and r.headers["x-rate-limit-remaining"] == "0"
    app.state.faults.rate_limit_exhausted = False
    assert (await client.get("/lead")).status_code == 200


async def test_unknown_version_is_404(client: httpx.AsyncClient) -> None:
    r = await client.get("http://sandbox/api/v9/lead")
    assert r.status_code == 404 and "version" in r.json()["Message"]


async def test_forced_expiry_kills_existing_tokens_only(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    app.state.faults.token_ttl = 0.0  # expires every token issued so far, for good
    app.state.faults.token_ttl = None
    r = await client.get("/lead/fields")
    assert r.status_code == 401 and "expired" in r.json()["Message"]
    fresh = (await client.post("/authenticate", headers=CRED_HEADERS)).json()["token"]
    client.headers["Authorization"] = f"Bearer {fresh}"
    assert (await client.get("/lead/fields")).status_code == 200
    app.state.faults.apply({"expire_tokens": True})
    assert (await client.get("/lead/fields")).status_code == 401
