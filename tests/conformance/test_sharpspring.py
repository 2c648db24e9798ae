"""SharpSpring's public examples replayed against our emulator: accepted as written, same shapes."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY, create_app
from crmtui.sandbox.sharpspring.schema import NS
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport

from .shapes import assert_conforms, envelope, error_site, paging_keys
from .sharpspring_public import (
    API_ERROR,
    AUTH_FAILURE_TEXT,
    CUSTOM,
    EXAMPLES,
    GHOST,
    OBJECT_ERROR,
    Example,
)

AUTH = {"accountID": ACCOUNT_ID, "secretKey": SECRET_KEY}
_stamps = itertools.count(1)


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store(":memory:")
    create_app(store, records=200, seed=11)
    return store


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(store, per_second=1000)
    transport = in_process_transport(app)
    async with httpx.AsyncClient(transport=transport, base_url="https://api.sharpspring.test") as c:
        yield c


async def send(c: httpx.AsyncClient, method: str, params: Any, **auth: str) -> httpx.Response:
    """The request as SharpSpring's PHP samples build it: json_encode of method, params, an empty
    session id and the credentials both in a `header` member and in the query string."""
    query = auth or AUTH
    body = {"method": method, "params": params, "id": "", "header": dict(query)}
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "Content-Length": str(len(data))}
    return await c.post("/pubapi/v1/", params=query, content=data, headers=headers)


def our_ids(store: Store) -> dict[str, str]:
    """Records of our emulator to name in the examples' requests."""
    member = store.list(NS, "listMember", offset=0, limit=1)[0][1]
    where = {"listID": str(member["listID"])}
    members = store.list(NS, "listMember", offset=0, limit=1000, where=where)
    on_list = {str(m["leadID"]) for _, m in members}
    leads = [rid for rid, _ in store.list(NS, "lead", offset=0, limit=50)]
    event = store.list(NS, "event", offset=0, limit=1)[0][1]
    return {
        "lead": leads[0],
        "campaign": store.list(NS, "campaign", offset=0, limit=1)[0][0],
        "user": store.list(NS, "userProfile", offset=0, limit=1)[0][0],
        "list": str(member["listID"]),
        "new_member": next(rid for rid in leads if rid not in on_list),
        "event_lead": str(event["leadID"]),
        "stamp": str(next(_stamps)),
    }


def filled(value: Any, ids: dict[str, str]) -> Any:
    """`value` with "{name}" placeholders replaced by our ids."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: filled(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [filled(v, ids) for v in value]
    return value


def result_key(example: Example) -> str:
    return str(next(iter(example.response["result"])))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
async def test_public_requests_are_accepted_as_written(
    client: httpx.AsyncClient, example: Example
) -> None:
    r = await send(client, example.method, example.params)
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == ""  # the empty request id is echoed, not refused (102)
    assert not isinstance(body["error"], dict), body["error"]
    assert envelope(body) == envelope(example.response)
    assert isinstance(body["result"][result_key(example)], list)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
async def test_answers_have_the_public_shape(
    client: httpx.AsyncClient, store: Store, example: Example
) -> None:
    params = filled(example.ours, our_ids(store)) if example.ours else example.params
    r = await send(client, example.method, params)
    assert r.status_code == 200
    body = r.json()
    public = example.response
    assert envelope(body) == envelope(public)
    assert paging_keys(body) == paging_keys(public)
    assert error_site(r.status_code, body, example.writes) == "none", body
    assert kind_of_error(body) == kind_of_error(public)
    assert_conforms(public["result"], body["result"], ignore=example.ignore)


def kind_of_error(body: dict[str, Any]) -> str:
    return "null" if body["error"] is None else type(body["error"]).__name__


async def test_an_api_level_error_sits_in_a_200_body(client: httpx.AsyncClient) -> None:
    r = await send(client, "getLead", {"id": "abc"})
    assert error_site(r.status_code, r.json()) == error_site(200, API_ERROR) == "body"
    assert_conforms(API_ERROR, r.json(), extra_keys=False)


async def test_an_object_level_error_sits_inside_the_result(
    client: httpx.AsyncClient, store: Store
) -> None:
    lead = store.list(NS, "lead", offset=0, limit=1)[0][1]
    r = await send(client, "createLeads", {"objects": [{"emailAddress": lead["emailAddress"]}]})
    body = r.json()
    assert error_site(r.status_code, body, "creates") == "object"
    assert error_site(200, OBJECT_ERROR, "creates") == "object"
    assert_conforms(OBJECT_ERROR["result"], body["result"], extra_keys=False)
    assert body["result"]["creates"][0]["success"] == "false"  # the string, as the KB shows


async def test_an_unknown_lead_answers_a_ghost(client: httpx.AsyncClient) -> None:
    r = await send(client, "getLead", {"id": "88038560770"})
    body = r.json()
    assert_conforms(GHOST, body, extra_keys=False, ignore=(CUSTOM,))
    assert set(body["result"]["lead"][0]) - {"leadStatus"}  # its custom fields, all ""
    assert all(v == "" for k, v in body["result"]["lead"][0].items() if k != "leadStatus")


async def test_unknown_credentials_are_http_401_text(client: httpx.AsyncClient) -> None:
    r = await send(client, "getLeads", {"where": {}}, accountID="nobody", secretKey="x")
    assert error_site(r.status_code, None) == "http" and r.status_code == 401
    assert r.text == AUTH_FAILURE_TEXT


async def test_early_errors_echo_the_request_id(client: httpx.AsyncClient) -> None:
    body = {"method": "getLeads", "params": {"where": {}}, "id": "req-7"}
    r = await client.post("/pubapi/v1/", params={"accountID": ACCOUNT_ID}, json=body)
    assert r.json()["error"]["code"] == 104 and r.json()["id"] == "req-7"
