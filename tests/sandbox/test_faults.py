"""Fault injection, in process: HTML 500s, dropped connections, broken JSON, latency."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from starlette.applications import Starlette

from crmtui.sandbox.faults import Faults


async def test_error_rate_answers_html_500_without_processing(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    before = (await client.get("/lead")).json()["Total Records"]
    app.state.faults.error_rate = 1.0
    r = await client.post("/lead", json={"LastName": "Ghost"})
    assert r.status_code == 500
    assert r.headers["content-type"].startswith("text/html") and "<html>" in r.text
    app.state.faults.error_rate = 0.0
    assert (await client.get("/lead")).json()["Total Records"] == before


async def test_dropped_connection_after_the_write_happened(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    app.state.faults.drop_rate = 1.0
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post("/lead", json={"LastName": "Schrodinger"})
    app.state.faults.drop_rate = 0.0
    names = await client.get("/lead", params={"sort_by": "CreatedDate", "sort_order": "desc"})
    assert names.json()["Entity"][0]["Properties"]["LastName"] == "Schrodinger"
    assert names.json()["Total Records"] == "301"


async def test_invalid_json_fault(client: httpx.AsyncClient, app: Starlette) -> None:
    app.state.faults.invalid_json_rate = 1.0
    r = await client.get("/lead/fields")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        r.json()


async def test_latency_fault(client: httpx.AsyncClient, app: Starlette) -> None:
    app.state.faults.latency = 0.2
    started = time.perf_counter()
    await client.get("/lead/fields")
    assert time.perf_counter() - started >= 0.2


def test_fault_draws_follow_the_seed() -> None:
    one, two, other = Faults(seed=4), Faults(seed=4), Faults(seed=5)
    draws = [[f.hit(0.5) for _ in range(40)] for f in (one, two, other)]
    assert draws[0] == draws[1] != draws[2]
    assert not any(Faults().hit(0.0) for _ in range(100))


def test_fault_settings_are_checked() -> None:
    f = Faults()
    f.apply({"error_rate": 0.25, "token_ttl": 3, "rate_limit_exhausted": True})
    assert (f.error_rate, f.token_ttl, f.rate_limit_exhausted) == (0.25, 3.0, True)
    f.apply({"token_ttl": None})
    assert f.token_ttl is None
    for bad in ({"error_rate": 2}, {"latency": -1}, {"latency": "slow"}, {"colour": 1},
                {"rate_limit_exhausted": 1}):  # fmt: skip
        with pytest.raises(ValueError):
            f.apply(bad)
