"""The InfluencerSoft emulator over HTTP: form posts, upsert by email, codes, hash, seeding."""

from __future__ import annotations

import hashlib
import html
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from crmtui.sandbox.influencersoft.app import DEFAULT_RPS_KEY, GROUPS, NS, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport

KEY = {"rpsKey": DEFAULT_RPS_KEY}


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(store, records=30, seed=2)
    async with httpx.AsyncClient(
        transport=in_process_transport(app), base_url="https://is.invalid"
    ) as c:
        yield c


async def call(client: httpx.AsyncClient, method: str, **form: str) -> dict[str, Any]:
    response = await client.post(f"/api/{method}", data={**KEY, **form})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    text = f"{body['error_code']}::{body['error_text']}::{DEFAULT_RPS_KEY}"
    assert body["hash"] == hashlib.md5(text.encode()).hexdigest()
    return body


def test_seeding_10000_leads_is_fast_and_deterministic() -> None:
    first, second = Store(":memory:"), Store(":memory:")
    started = time.monotonic()
    create_app(first, records=10_000, seed=5)
    assert time.monotonic() - started < 3.0
    create_app(second, records=10_000, seed=5)
    assert first.count(NS, "lead") == 10_000
    assert first.list(NS, "lead", offset=0, limit=5) == second.list(NS, "lead", offset=0, limit=5)


async def test_upsert_matches_email_without_case(client: httpx.AsyncClient, store: Store) -> None:
    body = await call(client, "addupdatelead", lead_email="Mia@Example.org", add_tags="a,b")
    assert (body["error_code"], body["error_text"], body["result"]) == (0, "OK", [])
    before = store.count(NS, "lead")
    await call(client, "addupdatelead", lead_email="mia@example.org", remove_tags="a")
    assert store.count(NS, "lead") == before
    lead = store.get(NS, "lead", "mia@example.org")
    assert lead is not None and lead["tags"] == ["b"]


async def test_leads_without_email_and_empty_calls(client: httpx.AsyncClient, store: Store) -> None:
    before = store.count(NS, "lead")
    assert (await call(client, "addupdatelead", lead_first_name="Anon"))["error_code"] == 0
    assert store.count(NS, "lead") == before + 1
    assert (await call(client, "addupdatelead"))["error_code"] == 100
    assert (await call(client, "addupdatelead", lead_email="x@@y"))["error_code"] == 600


async def test_bad_lists_refuse_the_whole_call(client: httpx.AsyncClient, store: Store) -> None:
    good = GROUPS[0][0]
    body = await call(client, "addupdatelead", lead_email="z@example.org", add_to_lists=f"{good},x")
    assert body["error_code"] == 103
    body = await call(client, "addupdatelead", lead_email="z@example.org", add_to_lists="1.1")
    assert body["error_code"] == 501 and "1.1" in body["error_text"]
    assert store.get(NS, "lead", "z@example.org") is None
    await call(client, "addupdatelead", lead_email="z@example.org", add_to_lists=good)
    lead = store.get(NS, "lead", "z@example.org")
    assert lead is not None and lead["lists"] == [good]


async def test_remove_tag_and_groups(client: httpx.AsyncClient, store: Store) -> None:
    await call(client, "addupdatelead", lead_email="t@example.org", add_tags="a,b,c")
    assert (await call(client, "removetagfromlead", lead_email="t@example.org", tag="a,c"))[
        "error_code"
    ] == 0
    lead = store.get(NS, "lead", "t@example.org")
    assert lead is not None and lead["tags"] == ["b"]
    assert (await call(client, "removetagfromlead", tag="a"))["error_code"] == 100
    assert (await call(client, "removetagfromlead", lead_email="no@example.org"))[
        "error_code"
    ] == 500
    groups = (await call(client, "getallgroups"))["result"]
    # titles typed in the web UI come back HTML-encoded
    assert [(g["rass_name"], html.unescape(g["rass_title"])) for g in groups] == list(GROUPS)


async def test_key_method_and_encoding_checks(client: httpx.AsyncClient) -> None:
    missing = (await client.post("/api/GetAllGroups", data={})).json()
    wrong = (await client.post("/api/GetAllGroups", data={"rpsKey": "nope"})).json()
    as_json = (await client.post("/api/GetAllGroups", json=KEY)).json()
    as_get = (await client.get("/api/GetAllGroups", params=KEY)).json()
    assert [missing["error_code"], wrong["error_code"]] == [2, 4]  # the published table
    assert as_json["error_code"] == 2 and as_get["error_code"] == 2
    assert (await call(client, "NoSuchMethod"))["error_code"] == 3
