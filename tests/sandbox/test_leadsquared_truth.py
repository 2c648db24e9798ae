"""The LeadSquared emulator against the public record: WCF query names, header keys, metadata by
schema name, the documented update error, criteria search, quick search, opportunities, convert
and values typed in the web UI (stored HTML-encoded)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from crmtui.sandbox.leadsquared.app import DEFAULT_KEYS, create_app
from crmtui.sandbox.leadsquared.seed import NS, VISITOR
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport

KEYS = {"accessKey": DEFAULT_KEYS.access_key, "secretKey": DEFAULT_KEYS.secret_key}
ASYNC = {"x-api-key": DEFAULT_KEYS.api_key}
LEADS = "/v2/LeadManagement.svc"
OPPS = "/v2/OpportunityManagement.svc"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def app(store: Store) -> Starlette:
    return create_app(store, records=60, seed=4, clock=Clock())


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=in_process_transport(app), base_url="http://lsq") as c:
        yield c


def attrs(**values: Any) -> list[dict[str, Any]]:
    return [{"Attribute": k, "Value": v} for k, v in values.items()]


async def first_lead(client: httpx.AsyncClient) -> dict[str, Any]:
    body = {"Parameter": {"LookupName": "ProspectStage", "LookupValue": "", "SqlOperator": "like"}}
    rows = (await client.post(f"{LEADS}/Leads.Get", params=KEYS, json=body)).json()
    assert isinstance(rows, list) and rows
    lead: dict[str, Any] = rows[0]
    return lead


async def test_query_names_match_without_case(client: httpx.AsyncClient) -> None:
    lead = await first_lead(client)
    keys = {"AccessKey": KEYS["accessKey"], "SECRETKEY": KEYS["secretKey"]}
    r = await client.get(
        f"{LEADS}/Leads.GetByEmailaddress", params={**keys, "EmailAddress": lead["EmailAddress"]}
    )
    assert r.status_code == 200 and r.json()[0]["ProspectID"] == lead["ProspectID"]
    r = await client.post(
        f"{LEADS}/Lead.Update",
        params={**KEYS, "LeadId": lead["ProspectID"]},
        json=attrs(FirstName="Renamed"),
    )
    assert r.status_code == 200 and r.json() == {
        "Status": "Success",
        "Message": {"AffectedRows": 1},
    }
    r = await client.get(f"{LEADS}/Leads.GetById", params={**KEYS, "ID": lead["ProspectID"]})
    assert r.json()[0]["FirstName"] == "Renamed"
    accepted = await client.post(
        "/async/lead/capture",
        params=KEYS,
        headers=ASYNC,
        json=attrs(EmailAddress="async@x.io", SearchBy="EmailAddress"),
    )
    rid = accepted.json()["RequestID"]
    r = await client.get("/async/lead/status", params={**KEYS, "RequestId": rid}, headers=ASYNC)
    assert r.status_code == 200 and r.json()["RequestId"] == rid


async def test_keys_may_come_as_headers(client: httpx.AsyncClient) -> None:
    headers = {"x-LSQ-AccessKey": KEYS["accessKey"], "x-LSQ-SecretKey": KEYS["secretKey"]}
    r = await client.get(f"{LEADS}/LeadsMetaData.Get", headers=headers)
    assert r.status_code == 200 and isinstance(r.json(), list)
    bad = {**headers, "x-LSQ-SecretKey": "wrong"}
    r = await client.get(f"{LEADS}/LeadsMetaData.Get", headers=bad)
    assert r.status_code == 401


async def test_metadata_by_schema_name(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{LEADS}/LeadsMetaData.Get", params={**KEYS, "schemaName": "Phone"})
    items = r.json()
    assert [i["SchemaName"] for i in items] == ["Phone"]
    for key in ("Entity", "RenderType", "IsVisible", "IsSearchable", "IsLeadIdentifier"):
        assert key in items[0]  # the apidocs sample's keys
    r = await client.get(f"{LEADS}/LeadsMetaData.Get", params={**KEYS, "schemaName": "nope"})
    assert r.json() == []
    params = {**KEYS, "SchemaName": "mx_Industry", "excludeOptionSets": "1"}
    items = (await client.get(f"{LEADS}/LeadsMetaData.Get", params=params)).json()
    assert [i["SchemaName"] for i in items] == ["mx_Industry"] and "Options" not in items[0]


async def test_update_without_lead_id_is_mandatory_attribute_missing(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post(f"{LEADS}/Lead.Update", params=KEYS, json=attrs(FirstName="X"))
    assert r.json() == {
        "Status": "Error",
        "ExceptionType": "MXMandatoryAttributeMissingException",
        "ExceptionMessage": "'leadId' is mandatory for updating lead",
    }


async def test_criteria_search_takes_every_documented_operator(client: httpx.AsyncClient) -> None:
    # apidocs.leadsquared.com/search-by-lead-criteria/ request, as written
    body: dict[str, Any] = {
        "Parameter": {
            "LookupName": "CreatedOn",
            "LookupValue": "2015-01-01 14:36:59",
            "SqlOperator": ">",
        },
        "Columns": {"Include_CSV": "ProspectID, FirstName, LastName, EmailAddress"},
        "Sorting": {"ColumnName": "CreatedOn", "Direction": "1"},
        "Paging": {"PageIndex": 1, "PageSize": 100},
    }
    rows = (await client.post(f"{LEADS}/Leads.Get", params=KEYS, json=body)).json()
    assert len(rows) == 60
    assert set(rows[0]) == {"ProspectID", "FirstName", "LastName", "EmailAddress"}
    body["Parameter"] = {"LookupName": "Score", "LookupValue": "100", "SqlOperator": "<="}
    body["Columns"] = {"Include_CSV": "Score"}
    rows = (await client.post(f"{LEADS}/Leads.Get", params=KEYS, json=body)).json()
    assert rows and all(int(r["Score"]) <= 100 for r in rows)
    body["Parameter"]["SqlOperator"] = "<>"
    others = (await client.post(f"{LEADS}/Leads.Get", params=KEYS, json=body)).json()
    assert all(r["Score"] != "100" for r in others)


async def test_quick_search(client: httpx.AsyncClient) -> None:
    lead = await first_lead(client)
    key = str(lead["LastName"])[:4].upper()
    r = await client.get(f"{LEADS}/Leads.GetByQuickSearch", params={**KEYS, "key": key})
    rows = r.json()
    assert lead["ProspectID"] in [row["ProspectID"] for row in rows]
    assert all(
        key.lower()
        in " ".join(
            str(row[n] or "")
            for n in ("FirstName", "LastName", "EmailAddress", "Company", "Phone", "Mobile")
        ).lower()
        for row in rows
    )


async def test_opportunities_of_a_lead_and_their_details(client: httpx.AsyncClient) -> None:
    body = {
        "LeadDetails": attrs(EmailAddress="opp@x.io", SearchBy="EmailAddress"),
        "Opportunity": {"OpportunityEventCode": 12231, "OpportunityNote": "demo"},
    }
    answer = (await client.post(f"{OPPS}/Capture", params=KEYS, json=body)).json()
    oid, lead_id = answer["CreatedOpportunityId"], answer["RelatedProspectId"]
    assert answer["IsUnique"] is True and answer["ConflictedOpportunityId"] is None
    params = {**KEYS, "leadId": lead_id}
    r = await client.get(f"{OPPS}/GetOpportunitiesOfLead", params=params)
    assert r.json()["RecordCount"] == 1  # opportunityType is optional (apidocs)
    r = await client.get(
        f"{OPPS}/GetOpportunitiesOfLead", params={**params, "opportunityType": "1"}
    )
    assert r.json()["ExceptionType"] == "MXInvalidInputException"
    r = await client.get(
        f"{OPPS}/GetOpportunitiesOfLead", params={**params, "opportunityType": "12231"}
    )
    listed = r.json()
    assert listed["RecordCount"] == 1 and listed["List"][0]["ProspectOpportunityId"] == oid
    r = await client.get(f"{OPPS}/GetOpportunityDetails", params={**KEYS, "OpportunityId": oid})
    detail = r.json()
    assert detail["Status"] == "Open" and detail["OpportunityNote"] == "demo"
    r = await client.get(f"{OPPS}/GetOpportunityDetails", params={**KEYS, "OpportunityId": "nope"})
    assert r.json()["ExceptionType"] == "MXInvalidEntityException"


async def test_convert_a_visitor_into_a_lead(client: httpx.AsyncClient, store: Store) -> None:
    vid = store.list(NS, VISITOR, offset=0, limit=1)[0][0]
    params = {**KEYS, "leadId": vid}
    r = await client.post(f"{LEADS}/Lead.Convert", params=params, json=attrs(EmailAddress="v@x.io"))
    assert r.json() == {"Status": "Success", "Message": {"AffectedRows": 1}}
    r = await client.get(f"{LEADS}/Leads.GetById", params={**KEYS, "id": vid})
    assert r.json()[0]["EmailAddress"] == "v@x.io"
    r = await client.post(
        f"{LEADS}/Lead.Convert",
        params={**KEYS, "leadId": "nope"},
        json=attrs(EmailAddress="w@x.io"),
    )
    assert r.json()["ExceptionType"] == "MXInvalidEntityException"


async def test_web_ui_values_are_stored_html_encoded(client: httpx.AsyncClient) -> None:
    body = {
        "Parameter": {"LookupName": "Company", "LookupValue": "&amp;", "SqlOperator": "like"},
        "Columns": {"Include_CSV": "Company,mx_Notes"},
    }
    rows = (await client.post(f"{LEADS}/Leads.Get", params=KEYS, json=body)).json()
    assert any(r["Company"] == "Procter &amp; Gamble" for r in rows)
    lead = await first_lead(client)
    r = await client.post(
        f"{LEADS}/Lead.Update",
        params={**KEYS, "leadId": lead["ProspectID"]},
        json=attrs(Company='A & B <c> "d"'),
    )
    r = await client.get(f"{LEADS}/Leads.GetById", params={**KEYS, "id": lead["ProspectID"]})
    assert r.json()[0]["Company"] == 'A & B <c> "d"'  # written through the API: stored as sent


async def test_capture_update_behaviours_and_search_by_spellings(client: httpx.AsyncClient) -> None:
    lead = await first_lead(client)
    email, pid = lead["EmailAddress"], lead["ProspectID"]

    async def capture(behaviour: str, **values: Any) -> None:
        params = {**KEYS, "LeadUpdateBehavior": behaviour} if behaviour else KEYS
        body = attrs(EmailAddress=email, SearchBy="EmailAddress", **values)
        r = await client.post(f"{LEADS}/Lead.Capture", params=params, json=body)
        assert r.status_code == 200, r.text

    async def stored() -> dict[str, Any]:
        r = await client.get(f"{LEADS}/Leads.GetById", params={**KEYS, "id": pid})
        row: dict[str, Any] = r.json()[0]
        return row

    first_name = (await stored())["FirstName"]
    await capture("DoNotUpdate", FirstName="Changed")  # apidocs capture-lead LeadUpdateBehavior
    assert (await stored())["FirstName"] == first_name
    await capture("UpdateOnlyEmptyFields", FirstName="Changed", mx_Notes="filled")
    after = await stored()
    assert after["FirstName"] == first_name and after["mx_Notes"] in (
        "filled",
        lead.get("mx_Notes"),
    )
    await capture("", FirstName="Changed")
    assert (await stored())["FirstName"] == "Changed"
    # users report the live service wants SearchBy "ProspectId" for the ProspectID attribute
    body = attrs(ProspectID=pid, SearchBy="ProspectId", LastName="Spelled")
    r = await client.post(f"{LEADS}/Lead.Capture", params=KEYS, json=body)
    assert r.status_code == 200 and (await stored())["LastName"] == "Spelled"
    body = attrs(EmailAddress=email, SearchBy="Nope")
    r = await client.post(f"{LEADS}/Lead.Capture", params=KEYS, json=body)
    assert r.json()["ExceptionMessage"] == "Invalid SearchBy value provided"
