"""The LeadSquared emulator on the wire: keys, limits, MX errors, formats, the async queue."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from crmtui.sandbox.faults import Faults
from crmtui.sandbox.leadsquared.app import DEFAULT_KEYS, RATE_MESSAGE, create_app
from crmtui.sandbox.leadsquared.async_api import ACCEPTED, Switches
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport

KEYS = {"accessKey": DEFAULT_KEYS.access_key, "secretKey": DEFAULT_KEYS.secret_key}
ASYNC = {"x-api-key": DEFAULT_KEYS.api_key}
LEADS = "/v2/LeadManagement.svc"
ALL_TIME = {"FromDate": "1970-01-01 00:00:00", "ToDate": "2100-01-01 00:00:00"}


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def switches() -> Switches:
    return Switches()


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
def app(clock: Clock, switches: Switches, faults: Faults) -> Starlette:
    return create_app(Store(), records=60, seed=4, clock=clock, switches=switches, faults=faults)


@pytest.fixture
async def client(app: Starlette, clock: Clock) -> AsyncIterator[httpx.AsyncClient]:
    async def tick(request: httpx.Request) -> None:
        clock.now += 0.25  # 20 calls per 5 s: under the limit unless a test says otherwise

    transport = in_process_transport(app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://lsq", event_hooks={"request": [tick]}
    ) as c:
        yield c


async def test_keys_are_required_and_never_echoed(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{LEADS}/LeadsMetaData.Get")
    assert r.status_code == 401 and r.json()["Status"] == "Error"
    r = await client.get(f"{LEADS}/LeadsMetaData.Get", params={**KEYS, "secretKey": "guess-CANARY"})
    assert r.status_code == 401 and "guess-CANARY" not in r.text
    r = await client.get("/async/lead/status", params={**KEYS, "requestId": "x"})
    assert r.status_code == 401  # the async host also wants x-api-key


async def test_unknown_method_is_404(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{LEADS}/Leads.Nope", params=KEYS)
    assert r.status_code == 404


async def test_records_use_strings_for_numbers_and_flags(client: httpx.AsyncClient) -> None:
    r = await client.post(
        f"{LEADS}/Leads.Get",
        params=KEYS,
        json={
            "Parameter": {"LookupName": "ProspectStage", "LookupValue": "", "SqlOperator": "like"},
            "Columns": {"Include_CSV": "Score,DoNotEmail,CreatedOn"},
            "Paging": {"PageIndex": 1, "PageSize": 10},
        },
    )
    rows = r.json()
    assert isinstance(rows, list) and len(rows) == 10  # a bare array, no total
    assert set(rows[0]) == {"ProspectID", "Score", "DoNotEmail", "CreatedOn"}
    assert all(isinstance(row["Score"], str) and row["DoNotEmail"] in ("0", "1") for row in rows)
    assert rows[0]["CreatedOn"].endswith(".000")  # record dates: yyyy-mm-dd hh:mm:ss.000


async def test_metadata_uses_the_other_date_format_and_lists_options(
    client: httpx.AsyncClient,
) -> None:
    items = (await client.get(f"{LEADS}/LeadsMetaData.Get", params=KEYS)).json()
    by_name = {i["SchemaName"]: i for i in items}
    assert by_name["EmailAddress"]["IsMandatory"] is True
    assert by_name["mx_Industry"]["Options"][0] == {"Value": "Education", "Text": "Education"}
    assert by_name["FirstName"]["CreatedOn"].startswith("/Date(")


async def test_recently_modified_counts_and_pages(client: httpx.AsyncClient) -> None:
    body = {"Parameter": ALL_TIME, "Paging": {"PageIndex": 3, "PageSize": 25}}
    r = (await client.post(f"{LEADS}/Leads.RecentlyModified", params=KEYS, json=body)).json()
    assert r["RecordCount"] == 60 and len(r["Leads"]) == 10
    narrow = {"FromDate": "2024-01-01 00:00:00", "ToDate": "2024-06-30 23:59:59"}
    body = {"Parameter": narrow, "Paging": {"PageIndex": 1, "PageSize": 100}}
    r = (await client.post(f"{LEADS}/Leads.RecentlyModified", params=KEYS, json=body)).json()
    stamps = [
        next(p["Value"] for p in lead["LeadPropertyList"] if p["Attribute"] == "ModifiedOn")
        for lead in r["Leads"]
    ]
    assert 0 < r["RecordCount"] < 60 and len(stamps) == r["RecordCount"]
    assert all("2024-01-01" <= s <= "2024-06-30 23:59:59" for s in stamps)


async def test_create_update_capture_and_mx_errors(
    client: httpx.AsyncClient, switches: Switches
) -> None:
    def attrs(**values: Any) -> list[dict[str, Any]]:
        return [{"Attribute": k, "Value": v} for k, v in values.items()]

    r = await client.post(f"{LEADS}/Lead.Create", params=KEYS, json=attrs(EmailAddress="N@x.io"))
    lead_id = r.json()["Message"]["Id"]
    r = await client.post(f"{LEADS}/Lead.Create", params=KEYS, json=attrs(EmailAddress="n@x.io"))
    assert r.status_code == 500 and r.json()["ExceptionType"] == "MXDuplicateEntryException"
    r = await client.post(
        f"{LEADS}/Lead.Update", params={**KEYS, "leadId": lead_id}, json=attrs(mx_Budget="7.5")
    )
    assert r.json() == {"Status": "Success", "Message": {"AffectedRows": 1}}
    r = await client.post(f"{LEADS}/Lead.Update", params={**KEYS, "leadId": "nope"}, json=[])
    assert r.json()["ExceptionMessage"] == "Lead does not exist in the system"
    switches.mx_status = 200
    r = await client.post(f"{LEADS}/Lead.Create", params=KEYS, json=attrs(mx_Nope="1"))
    assert r.status_code == 200 and r.json()["ExceptionType"] == "MXUnknownAttributeException"
    r = await client.post(
        f"{LEADS}/Lead.Capture",
        params=KEYS,
        json=attrs(EmailAddress="n@x.io", FirstName="N", SearchBy="EmailAddress"),
    )
    assert r.json()["Message"] == {"Id": lead_id, "AffectedRows": 1, "IsCreated": False}
    r = await client.post(f"{LEADS}/Lead.CreateOrUpdate", params=KEYS, json=attrs(FirstName="N"))
    assert r.json()["ExceptionType"] == "MXMandatoryAttributeMissingException"  # no SearchBy
    (lead,) = (await client.get(f"{LEADS}/Leads.GetById", params={**KEYS, "id": lead_id})).json()
    assert (lead["FirstName"], lead["mx_Budget"], lead["EmailAddress"]) == ("N", "7.5", "n@x.io")


async def test_rate_limit_is_429_with_the_seeds_message_or_200_when_switched(
    app: Starlette, clock: Clock, switches: Switches
) -> None:
    async with httpx.AsyncClient(transport=in_process_transport(app), base_url="http://l") as c:
        answers = [
            (await c.get(f"{LEADS}/Leads.GetById", params={**KEYS, "id": "x"})).status_code
            for _ in range(26)
        ]
        assert answers[:25] == [200] * 25 and answers[25] == 429
        r = await c.get(f"{LEADS}/Leads.GetById", params={**KEYS, "id": "x"})
        assert r.json()["ExceptionMessage"] == RATE_MESSAGE
        switches.rate_limit_in_body = True
        r = await c.get(f"{LEADS}/Leads.GetById", params={**KEYS, "id": "x"})
        assert r.status_code == 200
        assert r.json()["ExceptionType"] == "MXAPIRateLimitExceededException"
        clock.now += 5.01  # a new window
        r = await c.get(f"{LEADS}/Leads.GetById", params={**KEYS, "id": "x"})
        assert r.status_code == 200 and r.json() == []


async def test_async_status_carries_the_body_and_message_as_json_strings(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    body = [
        {"Attribute": "EmailAddress", "Value": "queued@x.io"},
        {"Attribute": "SearchBy", "Value": "EmailAddress"},
    ]
    r = await client.post("/async/lead/capture", params=KEYS, headers=ASYNC, json=body)
    accepted = r.json()
    assert accepted["Status"] == ACCEPTED
    rid = accepted["RequestID"]
    status = await client.get(
        "/async/lead/status", params={**KEYS, "requestId": rid}, headers=ASYNC
    )
    task = status.json()["TaskStatus"]
    assert status.json()["RequestId"] == rid
    assert (task["TaskType"], task["Status"], task["Message"]) == ("Lead Capture", "In-Queue", None)
    assert json.loads(task["RequestBody"]) == body
    clock.now += 3
    status = await client.get(
        "/async/lead/status", params={**KEYS, "requestId": rid}, headers=ASYNC
    )
    task = status.json()["TaskStatus"]
    assert task["Status"] == "Success"
    assert json.loads(task["Message"])["Message"]["IsCreated"] is True


def test_seeding_10000_leads_is_repeatable() -> None:
    store = Store()
    create_app(store, records=10_000, seed=9)
    again = Store()
    create_app(again, records=10_000, seed=9)
    first = store.list("leadsquared", "lead", offset=5000, limit=3)
    assert first == again.list("leadsquared", "lead", offset=5000, limit=3)
    assert store.count("leadsquared", "lead") == 10_000
