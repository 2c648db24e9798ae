"""The InfluencerSoft emulator against the published record: error codes 1-7, API 1.0 signing,
a lead's group statuses, adding a lead to a group, and web-UI group titles HTML-encoded."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote_plus, urlencode

import httpx
import pytest
from starlette.applications import Starlette

from crmtui.sandbox.influencersoft.app import (
    DEFAULT_LOGIN,
    DEFAULT_RPS_KEY,
    GROUPS,
    create_app,
)
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport

NEWSLETTER, WEBINAR = GROUPS[0][0], GROUPS[1][0]


@pytest.fixture
def app() -> Starlette:
    return create_app(Store(), records=30, seed=2)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = in_process_transport(app)
    async with httpx.AsyncClient(transport=transport, base_url="https://is.invalid") as c:
        yield c


def signed(params: list[tuple[str, str]], secret: str = DEFAULT_RPS_KEY) -> str:
    """A body as the vendor's PHP example builds it: http_build_query(params) + &hash=md5(...)."""
    query = urlencode(params, quote_via=quote_plus)
    digest = hashlib.md5(f"{query}::{DEFAULT_LOGIN}::{secret}".encode()).hexdigest()
    return f"{query}&hash={digest}" if query else f"hash={digest}"


async def post(client: httpx.AsyncClient, method: str, body: str) -> dict[str, Any]:
    headers = {"content-type": "application/x-www-form-urlencoded"}
    r = await client.post(f"/api/{method}", content=body, headers=headers)
    assert r.status_code == 200
    answer: dict[str, Any] = r.json()
    return answer


def answer_signed(answer: dict[str, Any]) -> bool:
    text = f"{answer['error_code']}::{answer['error_text']}::{DEFAULT_RPS_KEY}"
    return bool(answer["hash"] == hashlib.md5(text.encode()).hexdigest())


async def test_codes_one_to_seven_follow_the_published_table(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    async def code(body: str, method: str = "GetAllGroups") -> tuple[int, str]:
        answer = await post(client, method, body)
        return answer["error_code"], answer["error_text"]

    assert await code("lead_email=a%40b.io") == (1, "not transferred hash")
    assert await code("") == (2, "no transmitted data")
    assert await code("%ZZ=1&&=") == (3, "wrong posted data")
    assert await code(f"rpsKey={DEFAULT_RPS_KEY}", "NoSuchFunction") == (
        3,
        "wrong posted data: unknown API function",
    )
    assert await code("rpsKey=wrong") == (4, "incorrect hash")
    assert await code(signed([("email", "a@b.io")], secret="wrong")) == (4, "incorrect hash")
    other = httpx.AsyncClient(
        transport=in_process_transport(app), base_url="https://someoneelse.influencersoft.com"
    )
    async with other:
        r = await other.post("/api/GetAllGroups", data={"rpsKey": DEFAULT_RPS_KEY})
        assert (r.json()["error_code"], r.json()["error_text"]) == (5, "invalid user name")
    app.state.denied_ip = True
    number, text = await code(f"rpsKey={DEFAULT_RPS_KEY}")
    assert number == 6 and text.startswith("permission denied for ip")
    app.state.denied_ip, app.state.disabled = False, True
    assert await code(f"rpsKey={DEFAULT_RPS_KEY}") == (7, "account disabled")


async def test_api_1_signed_requests_are_accepted(client: httpx.AsyncClient) -> None:
    # help.influencersoft.com 360050868031: hash = md5("$params::$user_id::$secret")
    answer = await post(client, "GetAllGroups", signed([]))  # article 360050436312: no params
    assert answer["error_code"] == 0 and answer_signed(answer)
    # AddLeadToGroup as article 360050435412 lists its parameters
    params = [
        ("rid[0]", NEWSLETTER),
        ("rid[1]", WEBINAR),
        ("lead_name", "Ann Example"),
        ("lead_email", "ann@example.org"),
        ("lead_phone", "+44 20 7946 0000"),
        ("lead_city", "London"),
        ("tag", "api1"),
        ("utm[utm_source]", "newsletter"),
    ]
    answer = await post(client, "AddLeadToGroup", signed(params))
    assert (answer["error_code"], answer["error_text"]) == (0, "OK") and answer_signed(answer)
    statuses = await post(client, "GetLeadGroupStatuses", signed([("email", "ann@example.org")]))
    assert statuses["error_code"] == 0
    rows = statuses["result"]
    assert {r["rass_name"] for r in rows} == {NEWSLETTER, WEBINAR}
    assert set(rows[0]) == {"rass_name", "rass_title", "rass_status", "subscription_time"}
    assert all(r["rass_status"] == "active" for r in rows)


async def test_add_to_group_errors_per_table_or_as_the_server_does(
    client: httpx.AsyncClient,
) -> None:
    key = [("rpsKey", DEFAULT_RPS_KEY)]
    base = [("lead_email", "bo@example.org")]
    ok = await post(client, "AddLeadToGroup", urlencode([*key, ("rid[0]", NEWSLETTER), *base]))
    assert ok["error_code"] == 0
    again = await post(client, "AddLeadToGroup", urlencode([*key, ("rid[0]", NEWSLETTER), *base]))
    assert again["error_code"] == 102
    unknown = await post(client, "AddLeadToGroup", urlencode([*key, ("rid[0]", "1.2"), *base]))
    assert unknown["error_code"] == 103
    quirky = create_app(Store(), records=5, seed=2, server_quirks=True)
    async with httpx.AsyncClient(
        transport=in_process_transport(quirky), base_url="https://is.invalid"
    ) as other:
        form = [*key, ("rid[0]", "1.2"), *base]
        r = (await other.post("/api/AddLeadToGroup", data=dict(form))).json()
        assert (r["error_code"], r["error_text"]) == (0, "Has an invalid subscriptions group")


async def test_group_statuses_show_unsubscribed_and_unknown_addresses(
    client: httpx.AsyncClient,
) -> None:
    key = [("rpsKey", DEFAULT_RPS_KEY)]
    await post(
        client,
        "addupdatelead",
        urlencode([*key, ("lead_email", "cy@example.org"), ("add_to_lists", NEWSLETTER)]),
    )
    await post(
        client,
        "addupdatelead",
        urlencode([*key, ("lead_email", "cy@example.org"), ("remove_from_lists", NEWSLETTER)]),
    )
    rows = (
        await post(client, "GetLeadGroupStatuses", urlencode([*key, ("email", "cy@example.org")]))
    )["result"]
    assert [(r["rass_name"], r["rass_status"]) for r in rows] == [(NEWSLETTER, "unsubscribed")]
    missing = await post(client, "GetLeadGroupStatuses", urlencode([*key, ("email", "no@x.io")]))
    assert missing["error_code"] == 801


async def test_web_ui_group_titles_are_html_encoded(client: httpx.AsyncClient) -> None:
    body = urlencode([("rpsKey", DEFAULT_RPS_KEY)])
    titles = [g["rass_title"] for g in (await post(client, "GetAllGroups", body))["result"]]
    assert "Q&amp;A &lt;live&gt; &quot;Ask me&quot;" in titles
