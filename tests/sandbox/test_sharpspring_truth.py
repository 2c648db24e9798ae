"""The SharpSpring emulator as the public record describes it: ids, list members, events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY, create_app
from crmtui.sandbox.sharpspring.schema import NS
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport

AUTH = {"accountID": ACCOUNT_ID, "secretKey": SECRET_KEY}


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # after every seeded event

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def client(clock: Clock) -> AsyncIterator[httpx.AsyncClient]:
    store = Store(":memory:")
    app = create_app(store, records=400, seed=2, clock=clock, per_second=10_000)
    async with httpx.AsyncClient(transport=in_process_transport(app), base_url="https://x") as c:
        c.store = store  # type: ignore[attr-defined]
        yield c


async def rpc(c: httpx.AsyncClient, method: str, params: Any, rid: Any = "") -> Any:
    r = await c.post("/pubapi/v1.2/", params=AUTH,
                     json={"method": method, "params": params, "id": rid})  # fmt: skip
    assert r.status_code == 200
    return r.json()


async def test_an_empty_request_id_is_a_request_id(client: httpx.AsyncClient) -> None:
    body = await rpc(client, "getDealStages", {"where": {}}, rid="")
    assert body["error"] is None and body["id"] == ""
    assert (await rpc(client, "getDealStages", {"where": {}}, rid=None))["error"]["code"] == 102


async def test_list_members_page_by_where_id_with_has_more(client: httpx.AsyncClient) -> None:
    store: Store = client.store  # type: ignore[attr-defined]
    member = store.list(NS, "listMember", offset=0, limit=1)[0][1]
    list_id = member["listID"]
    count = store.count(NS, "listMember", {"listID": list_id})
    assert count >= 2
    first = await rpc(client, "getListMembers", {"where": {"id": list_id}, "limit": 1})
    assert first["hasMore"] is True and first["result"]["hasMore"] is True
    row = first["result"]["getWherelistMemberGets"][0]
    assert set(row) == {"id", "listID", "companyName", "leadID", "firstName", "lastName",
                        "emailAddress"}  # fmt: skip
    last = await rpc(client, "getListMembers",
                     {"where": {"id": list_id}, "limit": 1, "offset": count - 1})  # fmt: skip
    assert last["hasMore"] is False and len(last["result"]["getWherelistMemberGets"]) == 1
    none = await rpc(client, "getListMembers", {"limit": 1})
    assert none["error"]["code"] == 206


async def test_membership_writes_keep_the_counts(client: httpx.AsyncClient) -> None:
    lists = (await rpc(client, "getActiveLists", {"where": {}}))["result"]["activeList"]
    target = lists[0]
    before = int(target["memberCount"])
    lead = (await rpc(client, "getLeads", {"where": {}, "limit": 1}))["result"]["lead"][0]["id"]
    params = {"listID": target["id"], "memberID": lead}
    added = await rpc(client, "addListMember", params)
    if added["result"]["creates"][0]["success"] is not True:  # already a member: take it off
        await rpc(client, "removeListMember", params)
        added = await rpc(client, "addListMember", params)
        before -= 1
    assert isinstance(added["result"]["creates"][0]["id"], int) and added["error"] == []
    again = await rpc(client, "addListMember", params)
    assert again["result"]["creates"][0]["error"]["code"] == 213
    assert again["error"][0]["code"] == 213
    lists = (await rpc(client, "getActiveLists", {"where": {"id": target["id"]}}))["result"]
    assert int(lists["activeList"][0]["memberCount"]) == before + 1
    removed = await rpc(client, "removeListMember", params)
    assert removed["result"]["removes"] == [{"success": True, "error": None}]
    gone = await rpc(client, "removeListMember", params)
    assert gone["result"]["removes"][0]["error"]["code"] == 404
    unknown = await rpc(client, "addListMember", {"listID": "1", "memberID": lead})
    assert unknown["result"]["creates"][0]["error"]["code"] == 212


async def test_events_arrive_as_the_clock_runs(client: httpx.AsyncClient, clock: Clock) -> None:
    since = "2027-01-15 08:00:00"  # the clock's start, in UTC (v1.2)
    start = await rpc(client, "getEvents", {"where": {"createTimestamp": since}})
    assert start["result"] == {"event": []}
    clock.now += 100
    later = (await rpc(client, "getEvents", {"where": {"createTimestamp": since}}))["result"]
    assert len(later["event"]) == 5  # one every 20 s
    kinds = {e["eventSource"] for e in later["event"]}
    assert kinds <= {"emailOpened", "pageVisit", "formSubmit"}
    stamps = [e["createTimestamp"] for e in later["event"]]
    assert stamps == sorted(stamps, reverse=True)  # newest first


async def test_events_by_type(client: httpx.AsyncClient) -> None:
    params = {"where": {"createTimestamp": "2000-01-01"}, "eventSource": "formSubmit,pageVisit"}
    found = (await rpc(client, "getEventsByType", params))["result"]["event"]
    sources = [e["eventSource"] for e in found]
    assert set(sources) == {"formSubmit", "pageVisit"}
    assert sources == sorted(sources, key=["formSubmit", "pageVisit"].index)  # kind by kind
    wrong = await rpc(client, "getEventsByType", {**params, "eventSource": "emailTeleported"})
    assert wrong["error"]["code"] == 219
    bare = await rpc(client, "getEventsByType", {"where": {}, "eventSource": "formSubmit"})
    assert bare["error"]["code"] == 206  # a leadID or a timestamp must be given
