"""The SharpSpring emulator on the wire: envelope, auth, limits, errors and value shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport

AUTH = {"accountID": ACCOUNT_ID, "secretKey": SECRET_KEY}


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store(":memory:")
    create_app(store, records=120, seed=1)
    return store


def client_for(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=in_process_transport(app), base_url="https://ss.invalid")


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(create_app(store)) as c:
        yield c


async def rpc(
    c: httpx.AsyncClient, method: str, params: Any, version: str = "v1.2", **auth: str
) -> Any:
    r = await c.post(f"/pubapi/{version}/", params=auth or AUTH,
                     json={"method": method, "params": params, "id": "req-42"})  # fmt: skip
    assert r.status_code == 200, r.text
    return r.json()


async def test_envelope_echoes_the_id_and_scalars_are_strings(client: httpx.AsyncClient) -> None:
    body = await rpc(client, "getLeads", {"where": {}, "limit": 3})
    assert body["id"] == "req-42" and body["error"] is None
    lead = body["result"]["lead"][0]
    assert all(v is None or isinstance(v, str) for v in lead.values())
    assert lead["active"] in ("0", "1") and lead["faxNumber"] is None  # empty standard: null
    assert lead["Next_Follow_Up_6b7c8d9e0f1a2"] == ""  # empty custom: ""


async def test_credentials(client: httpx.AsyncClient) -> None:
    assert (await rpc(client, "getLeads", {"where": {}}, accountID=ACCOUNT_ID))["error"][
        "code"
    ] == 104
    assert (await rpc(client, "getLeads", {"where": {}}, secretKey="x"))["error"]["code"] == 103
    wrong = await rpc(client, "getLeads", {"where": {}}, accountID=ACCOUNT_ID, secretKey="no")
    assert wrong["error"]["code"] == 105
    r = await client.post("/pubapi/v1/", params={"accountID": "other", "secretKey": "x"}, json={})
    assert r.status_code == 401 and r.headers["content-type"].startswith("text/plain")


async def test_envelope_errors(client: httpx.AsyncClient) -> None:
    async def code(content: bytes) -> int:
        r = await client.post("/pubapi/v1.2/", params=AUTH, content=content)
        return int(r.json()["error"]["code"])

    assert await code(b"not json") == 101
    assert await code(b'{"method": "getLeads", "params": {}}') == 102
    assert await code(b'{"params": {}, "id": 1}') == 201
    assert await code(b'{"method": "getLeads", "id": 1}') == 202
    assert await code(b'{"method": "getEverything", "params": {}, "id": 1}') == 204


async def test_parameter_errors_have_details(client: httpx.AsyncClient) -> None:
    body = await rpc(client, "getLead", {"id": "abc"})
    assert body["result"] is None
    assert body["error"] == {
        "code": 205,
        "message": "Invalid parameters",
        "data": {"params": [{"param": "id", "message": "Expected data of type integer",
                             "validFormat": {"type": "int", "length": 11, "required": False}}]},
    }  # fmt: skip
    assert (await rpc(client, "getLeads", {}))["error"]["code"] == 206
    too_many = await rpc(client, "createLeads", {"objects": [{}] * 501})
    assert too_many["error"]["code"] == 209
    ghost = (await rpc(client, "getLead", {"id": "1"}))["result"]["lead"]  # unknown id: a ghost
    assert len(ghost) == 1 and "id" not in ghost[0] and ghost[0]["leadStatus"] == "open"


async def test_a_write_takes_500_objects_and_refuses_501_with_the_vendors_209(
    client: httpx.AsyncClient,
) -> None:
    # "a limit of 500 queries per request" (KB 50374); 209's text from the error table (KB 50570)
    unknown = [{"id": "1"}] * 500
    taken = await rpc(client, "deleteLeads", {"objects": unknown})
    assert len(taken["result"]["deletes"]) == 500  # taken: one answer (a 404 here) per object
    assert len(taken["error"]) == 500 and all(e["code"] == 404 for e in taken["error"])
    lead = (await rpc(client, "getLeads", {"where": {}, "limit": 1}))["result"]["lead"][0]
    refused = await rpc(client, "deleteLeads", {"objects": [*unknown, {"id": lead["id"]}]})
    assert refused["result"] is None
    assert refused["error"] == {
        "code": 209,
        "message": "Attempting to execute an excess amount of queries.",
        "data": None,
    }
    kept = await rpc(client, "getLeads", {"where": {"id": lead["id"]}})
    assert kept["result"]["lead"][0]["id"] == lead["id"]  # nothing of a refused call was done


async def test_object_level_errors_in_input_order(client: httpx.AsyncClient) -> None:
    lead = (await rpc(client, "getLeads", {"where": {}, "limit": 1}))["result"]["lead"][0]
    body = await rpc(client, "updateLeadsV2", {"objects": [
        {"id": lead["id"], "city": lead["city"]},
        {"id": "123456789", "city": "Oslo"},
    ]})  # fmt: skip
    codes = [u["error"]["code"] for u in body["result"]["updates"]]
    assert codes == [302, 404]
    assert body["result"]["updates"][0]["success"] == "false"
    assert [e["code"] for e in body["error"]] == [302, 404]
    old = await rpc(client, "updateLeads", {"objects": [{"id": "123456789", "city": "Oslo"}]})
    assert old["result"]["updates"] == [{"success": True, "error": None}]
    made = await rpc(client, "createLeads", {"objects": [{"emailAddress": "c@example.test"}]})
    assert isinstance(made["result"]["creates"][0]["id"], int) and made["error"] == []


async def test_limits_per_second_and_daily(store: Store) -> None:
    async with client_for(create_app(store, daily_limit=3)) as c:
        codes = [(await rpc(c, "getDealStages", {"where": {}}))["error"] for _ in range(5)]
        assert [e and e["code"] for e in codes] == [None, None, None, 106, 106]
    clock = [1000.0]
    async with client_for(create_app(store, clock=lambda: clock[0])) as c:
        results = [(await rpc(c, "getDealStages", {"where": {}}))["error"] for _ in range(11)]
        assert results[-1]["code"] == 107 and all(r is None for r in results[:10])
        clock[0] += 1.01
        assert (await rpc(c, "getDealStages", {"where": {}}))["error"] is None


async def test_versions_zones_lists_and_expect(client: httpx.AsyncClient) -> None:
    lead = (await rpc(client, "getLeads", {"where": {}, "limit": 1}))["result"]["lead"][0]
    local = await rpc(client, "getLead", {"id": lead["id"]}, "v1")
    assert local["result"]["lead"][0]["updateTimestamp"] != lead["updateTimestamp"]
    lists = (await rpc(client, "getActiveLists", {"where": {}}))["result"]["activeList"]
    members = await rpc(client, "getListMembers", {"id": lists[0]["id"]})
    assert "getWherelistMemberGets" in members["result"]
    big = {"method": "getLeads", "params": {"where": {}, "pad": "x" * 2000}, "id": 1}
    r = await client.post("/pubapi/v1.2/", params=AUTH, json=big,
                          headers={"Expect": "100-continue"})  # fmt: skip
    assert r.status_code == 502
