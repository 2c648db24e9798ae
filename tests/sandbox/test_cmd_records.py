"""CMDataManager emulator: CRUD, paging, sort, field selection, metadata, actions, errors."""

from __future__ import annotations

from typing import Any

import httpx

from crmtui.sandbox.cmdatamanager.schema import DATA_TYPES, LEAD_STATUSES


async def _first_id(client: httpx.AsyncClient, entity: str) -> str:
    r = await client.get(f"/{entity}", params={"per_page": "1", "page": "1"})
    return str(r.json()["Entity"][0]["ExternalID"])


async def test_crud_lifecycle(client: httpx.AsyncClient) -> None:
    created = await client.post("/lead", json={"LastName": "Lovelace", "Email": "ada@example.org"})
    assert created.status_code == 201
    rid = created.json()["ExternalID"]
    got = (await client.get(f"/lead/{rid}")).json()
    assert got["ExternalID"] == rid
    props = got["Properties"]
    assert props["LastName"] == "Lovelace" and props["FirstName"] is None
    assert props["Status"] == "New"  # the default
    assert props["CreatedDate"] == props["ModifiedDate"] == "2027-01-15 08:00:00"
    updated = await client.put(f"/lead/{rid}", json={"FirstName": "Ada", "Score": "42"})
    assert updated.json() == {"Message": "Record updated."}
    props = (await client.get(f"/lead/{rid}")).json()["Properties"]
    assert (props["FirstName"], props["LastName"], props["Score"]) == ("Ada", "Lovelace", "42")
    deleted = await client.delete(f"/lead/{rid}")
    assert deleted.json() == {"Message": "Record deleted."}
    gone = await client.get(f"/lead/{rid}")
    assert gone.status_code == 404 and rid in gone.json()["Message"]


async def test_values_are_strings_or_null(client: httpx.AsyncClient) -> None:
    body = {"LastName": "Byron", "Revenue": "1250.5", "DoNotEmail": "true", "Score": "7"}
    rid = (await client.post("/lead", json=body)).json()["ExternalID"]
    props = (await client.get(f"/lead/{rid}")).json()["Properties"]
    assert props["Revenue"] == "1250.50" and props["DoNotEmail"] == "True"
    assert all(v is None or isinstance(v, str) for v in props.values())


async def test_paging_totals_are_strings(client: httpx.AsyncClient) -> None:
    r = await client.get("/lead", params={"per_page": "7", "page": "2"})
    body = r.json()
    assert body["Total Records"] == "300" and body["Total Pages"] == "43"
    assert len(body["Entity"]) == 7
    page1 = (await client.get("/lead", params={"per_page": "7", "page": "1"})).json()
    assert {e["ExternalID"] for e in page1["Entity"]}.isdisjoint(
        e["ExternalID"] for e in body["Entity"]
    )
    last = (await client.get("/lead", params={"per_page": "7", "page": "43"})).json()
    assert len(last["Entity"]) == 300 - 42 * 7
    past = (await client.get("/lead", params={"per_page": "7", "page": "44"})).json()
    assert past["Entity"] == [] and past["Total Records"] == "300"
    default = (await client.get("/lead")).json()
    assert len(default["Entity"]) == 100 and default["Total Pages"] == "3"


async def test_paging_parameters_go_together(client: httpx.AsyncClient) -> None:
    for params in ({"per_page": "10"}, {"page": "2"}, {"per_page": "0", "page": "1"},
                   {"per_page": "x", "page": "1"}, {"per_page": "1001", "page": "1"}):  # fmt: skip
        r = await client.get("/lead", params=params)
        assert r.status_code == 400, params
        assert r.json()["Message"]


async def test_sort_and_field_selection(client: httpx.AsyncClient) -> None:
    params = {"fields": "LastName,Score", "sort_by": "Score", "sort_order": "desc",
              "per_page": "50", "page": "1"}  # fmt: skip
    entities = (await client.get("/lead", params=params)).json()["Entity"]
    assert all(list(e["Properties"]) == ["LastName", "Score"] for e in entities)
    scores = [int(e["Properties"]["Score"]) for e in entities]
    assert scores == sorted(scores, reverse=True) and scores[0] > 90
    asc = (await client.get("/lead", params={**params, "sort_order": "ASC"})).json()["Entity"]
    asc_scores = [int(e["Properties"]["Score"]) for e in asc]
    assert asc_scores == sorted(asc_scores) and asc_scores[0] < 10
    names = (await client.get("/lead", params={"sort_by": "LastName"})).json()["Entity"]
    last = [e["Properties"]["LastName"].lower() for e in names]
    assert last == sorted(last)


async def test_unknown_sort_or_field_is_400(client: httpx.AsyncClient) -> None:
    bad_sort = await client.get("/lead", params={"sort_by": "Nope"})
    assert bad_sort.status_code == 400 and bad_sort.json()["Errors"] == {"Nope": "Unknown field."}
    bad_field = await client.get("/lead", params={"fields": "LastName,Bogus"})
    assert bad_field.status_code == 400 and "Bogus" in bad_field.json()["Errors"]
    bad_order = await client.get("/lead", params={"sort_by": "Score", "sort_order": "up"})
    assert bad_order.status_code == 400


async def test_field_metadata(client: httpx.AsyncClient) -> None:
    body = (await client.get("/lead/fields")).json()
    assert set(body) == {"Total Records", "Total Page", "Field"}
    fields = {f["Properties"]["Name"]: f for f in body["Field"]}
    assert body["Total Records"] == str(len(fields)) and body["Total Page"] == "1"
    status = fields["Status"]["Properties"]
    assert status["DataType"] == "Picklist" and status["Options"].split(";") == list(LEAD_STATUSES)
    last = fields["LastName"]["Properties"]
    assert (last["Required"], last["MaxLength"], last["Custom"]) == ("True", "255", "False")
    assert fields["CreatedDate"]["Properties"]["ReadOnly"] == "True"
    assert fields["ConvertedAccount"]["Properties"]["LookupEntity"] == "account"
    assert any(f["Properties"]["Custom"] == "True" for f in body["Field"])
    assert all(f["Properties"]["DataType"] in DATA_TYPES for f in body["Field"])
    paged = (await client.get("/lead/fields", params={"per_page": "5", "page": "2"})).json()
    assert [f["ExternalID"] for f in paged["Field"]] == [
        f["ExternalID"] for f in body["Field"][5:10]
    ]
    for entity in ("account", "contact", "opportunity", "membership", "LEAD"):
        assert (await client.get(f"/{entity}/fields")).status_code == 200, entity
    no_task = await client.get("/task/fields")
    assert no_task.status_code == 404 and no_task.json()["Message"]


async def test_linked_creation_refers_to_parent(client: httpx.AsyncClient) -> None:
    account = await _first_id(client, "account")
    r = await client.post(f"/account/{account}/opportunity", json={"Name": "Big deal"})
    assert r.status_code == 201
    opp = (await client.get(f"/opportunity/{r.json()['ExternalID']}")).json()["Properties"]
    assert (opp["RelatedEntity"], opp["RelatedExternalID"], opp["Account"]) == (
        "account",
        account,
        account,
    )
    lead = await _first_id(client, "lead")
    t = await client.post(f"/lead/{lead}/task", json={"Subject": "Call back"})
    task = (await client.get(f"/task/{t.json()['ExternalID']}")).json()["Properties"]
    assert (task["RelatedEntity"], task["RelatedExternalID"], task["Status"]) == (
        "lead",
        lead,
        "Open",
    )
    missing = await client.post("/lead/NOPE0A0A/task", json={"Subject": "x"})
    assert missing.status_code == 404


async def test_convert_lead(client: httpx.AsyncClient) -> None:
    lead = (await client.post("/lead", json={"FirstName": "Grace", "LastName": "Hopper"})).json()
    account = await _first_id(client, "account")
    r = await client.put(
        f"/lead/convert/{lead['ExternalID']}", json={"Account ExternalID": account}
    )
    assert r.status_code == 200 and r.json()["Message"] == "Record updated."
    props = (await client.get(f"/lead/{lead['ExternalID']}")).json()["Properties"]
    assert (props["Status"], props["ConvertedAccount"]) == ("Converted", account)
    contact = (await client.get(f"/contact/{r.json()['Contact ExternalID']}")).json()
    assert contact["Properties"]["LastName"] == "Hopper"
    assert contact["Properties"]["Account"] == account
    again = await client.put(
        f"/lead/convert/{lead['ExternalID']}", json={"Account ExternalID": account}
    )
    assert again.status_code == 400
    no_account = await client.put(f"/lead/convert/{lead['ExternalID']}", json={})
    assert no_account.status_code == 400 and "Account ExternalID" in no_account.json()["Errors"]
    bad_account = await client.put(
        f"/lead/convert/{lead['ExternalID']}", json={"Account ExternalID": "ZZZ9Z9Z9"}
    )
    assert bad_account.status_code == 404


async def test_close_task_in_either_spelling(client: httpx.AsyncClient) -> None:
    for path in ("/task/close/{}", "/Task/Close/{}"):
        rid = (await client.post("/task", json={"Subject": "Ring"})).json()["ExternalID"]
        r = await client.put(path.format(rid))
        assert r.json() == {"Message": "Record updated."}
        props = (await client.get(f"/task/{rid}")).json()["Properties"]
        assert props["Status"] == "Completed" and props["ClosedDate"] == "2027-01-15 08:00:00"
    assert (await client.put("/task/close/NOPE0A0A")).status_code == 404


async def test_write_validation_is_400_per_field(client: httpx.AsyncClient) -> None:
    body: dict[str, Any] = {
        "Email": "not-an-email",
        "Status": "Maybe",
        "Company": "x" * 256,
        "Colour": "red",
        "CreatedDate": "2020-01-01 00:00:00",
        "Score": 5,
    }
    r = await client.post("/lead", json=body)
    assert r.status_code == 400
    errors = r.json()["Errors"]
    assert set(errors) == {
        "Email",
        "Status",
        "Company",
        "Colour",
        "CreatedDate",
        "Score",
        "LastName",
    }
    assert errors["LastName"] == "Required."
    assert "255" in errors["Company"] and "Unknown" in errors["Colour"]


async def test_malformed_and_empty_bodies_are_400(client: httpx.AsyncClient) -> None:
    rid = await _first_id(client, "lead")
    broken = await client.post(
        "/lead", content=b'{"LastName": ', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400 and "JSON" in broken.json()["Message"]
    assert (await client.post("/lead", json=["LastName"])).status_code == 400
    assert (await client.put(f"/lead/{rid}", json={})).status_code == 400
    clear_required = await client.put(f"/lead/{rid}", json={"LastName": None})
    assert clear_required.json()["Errors"] == {"LastName": "Required."}
    bad_lookup = await client.put(
        f"/contact/{await _first_id(client, 'contact')}", json={"Account": "QQQ1Q1Q1"}
    )
    assert "Account" in bad_lookup.json()["Errors"]


async def test_unknown_entities_ids_and_paths_are_404_with_body(client: httpx.AsyncClient) -> None:
    cases = [("GET", "/widget"), ("GET", "/lead/NOPE0A0A"), ("DELETE", "/lead/NOPE0A0A"),
             ("PUT", "/lead/NOPE0A0A"), ("PATCH", "/lead"), ("GET", "/a/b/c/d")]  # fmt: skip
    for method, path in cases:
        r = await client.request(method, path, json={"LastName": "x"})
        assert r.status_code == 404, (method, path)
        assert r.json()["Message"]
        assert "x-rate-limit-remaining" in r.headers


async def test_custom_entity_crud(client: httpx.AsyncClient) -> None:
    contact = await _first_id(client, "contact")
    body = {
        "MembershipNumber": "M-1",
        "Contact": contact,
        "Level": "Gold",
        "StartDate": "2025-02-28",
    }
    rid = (await client.post("/membership", json=body)).json()["ExternalID"]
    props = (await client.get(f"/membership/{rid}")).json()["Properties"]
    assert props["Level"] == "Gold" and props["StartDate"] == "2025-02-28"
    bad = await client.put(f"/membership/{rid}", json={"StartDate": "2025-02-30"})
    assert bad.status_code == 400 and "StartDate" in bad.json()["Errors"]


async def test_head_reads_and_never_writes(client: httpx.AsyncClient) -> None:
    rid = await _first_id(client, "lead")
    assert (await client.head(f"/lead/{rid}")).status_code == 200
    assert (await client.head("/lead")).status_code == 200
    assert (await client.get(f"/lead/{rid}")).status_code == 200
    assert (await client.get("/lead")).json()["Total Records"] == "300"
