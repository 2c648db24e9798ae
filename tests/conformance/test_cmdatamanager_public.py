"""CMDataManager's public request/response examples (seed 004, the campaignmaster.co.uk API page),
replayed against our emulator and fed to our backend (httpx.MockTransport), compared by shape:
status codes (errors sit in the HTTP status), `ExternalID`/`Properties` envelopes, the paging
keys with their spaces and their numbers as strings, the rate-limit and token headers.

Only /authenticate and the headers are confirmed beyond seed 004; the rest is seed 004 alone.
Left open, and chosen by the emulator (crmtui/sandbox/cmdatamanager): the error bodies, the
field-metadata properties, the convert answer's body, the datetime format.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from crmtui.backends.cmdatamanager.backend import CMDataManagerBackend
from crmtui.backends.cmdatamanager.profile import CMDataManagerProfile
from crmtui.errors import AuthError, NotFound
from crmtui.model import Change, Query
from crmtui.sandbox.cmdatamanager.app import CMD_NS, DEFAULT_CREDENTIALS, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import Session, open_session
from tests.conformance.shapes import assert_conforms

BASE = "/api/v1"
# seed 004 /authenticate: the headers of the C# and PHP examples, as written
AUTH_HEADERS = {
    "cache-control": "no-cache",
    "client_id": DEFAULT_CREDENTIALS.client_id,
    "client_secret": DEFAULT_CREDENTIALS.client_secret,
    "username": DEFAULT_CREDENTIALS.username,
    "password": DEFAULT_CREDENTIALS.password,
}
TOKEN = {"token": "{{token}}"}  # seed 004
RECORD = {
    "ExternalID": "ABC1D2E3",
    "Properties": {},
}  # seed 004 (its property names are placeholders)
LIST = {  # seed 004: GET /{entity}?fields=&per_page=&page=&sort_by=&sort_order=
    "Total Records": "30",
    "Total Pages": "3",
    "Entity": [
        {"ExternalID": "ABC1D2E3", "Properties": {"FieldName": "FieldValue"}},
        {"ExternalID": "FGH4I5J6", "Properties": {"FieldName": "FieldValue"}},
    ],
}
FIELDS = {  # seed 004: GET /{entity}/fields?per_page=&page= ("Total Page", not "Pages")
    "Total Records": "30",
    "Total Page": "3",
    "Field": [{"ExternalID": "ABC1D2E3", "Properties": {"FieldName": "FieldValue"}}],
}
CREATED = {"ExternalID": "ABC1D2E3"}  # seed 004: POST /{entity}, 201
UPDATED = {"Message": "Record updated."}  # seed 004: PUT /{entity}/{id}, PUT /task/close/{id}
DELETED = {"Message": "Record deleted."}  # seed 004: DELETE /{entity}/{id}
RATE_HEADERS = ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset")


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def app(store: Store) -> Starlette:
    return create_app(store, records=60, seed=5)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=in_process_transport(app), base_url="https://cmd.invalid"
    ) as c:
        yield c


async def bearer(client: httpx.AsyncClient) -> dict[str, str]:
    r = await client.post(f"{BASE}/authenticate", headers=AUTH_HEADERS)
    assert r.status_code == 200
    assert_conforms(TOKEN, r.json())
    for header in (*RATE_HEADERS, "x-token-reset"):  # seed 004's header table
        assert r.headers[header].isdigit()
    return {"cache-control": "no-cache", "Authorization": f"Bearer {r.json()['token']}"}


def first(store: Store, entity: str) -> str:
    return store.list(CMD_NS, entity, offset=0, limit=1)[0][0]


def all_text(record: dict[str, Any]) -> bool:
    return all(v is None or isinstance(v, str) for v in record["Properties"].values())


async def test_authenticate_and_read(client: httpx.AsyncClient, store: Store) -> None:
    auth = await bearer(client)
    # seed 004: GET /{entity}/{external id}
    r = await client.get(f"{BASE}/lead/{first(store, 'lead')}", headers=auth)
    assert r.status_code == 200 and all_text(r.json())
    assert_conforms(RECORD, r.json())
    # seed 004: the list request with every documented parameter
    params = {"fields": "FirstName,LastName", "per_page": "10", "page": "2",
              "sort_by": "FirstName", "sort_order": "asc"}  # fmt: skip
    r = await client.get(f"{BASE}/lead", params=params, headers=auth)
    assert r.status_code == 200
    body = r.json()
    assert_conforms({**LIST, "Entity": [RECORD]}, body)
    assert body["Total Records"] == "60" and body["Total Pages"] == "6"
    assert all(list(item["Properties"]) == ["FirstName", "LastName"] for item in body["Entity"])
    # seed 004: GET /{entity}/fields?per_page=10&page=1
    r = await client.get(
        f"{BASE}/lead/fields", params={"per_page": "10", "page": "1"}, headers=auth
    )
    assert r.status_code == 200
    assert_conforms({**FIELDS, "Field": [RECORD]}, r.json())


async def test_writes_as_written(client: httpx.AsyncClient, store: Store) -> None:
    auth = {**await bearer(client), "Content-Type": "application/json"}
    # seed 004: POST /{entity} with a JSON object of FieldName: FieldValue -> 201 ExternalID
    r = await client.post(
        f"{BASE}/lead", headers=auth, content=b'{"FirstName":"Ada","LastName":"Lovelace"}'
    )
    assert r.status_code == 201
    assert_conforms(CREATED, r.json())
    lead = r.json()["ExternalID"]
    account = first(store, "account")
    # seed 004: POST /{entity}/{id}/task and /{entity}/{id}/opportunity -> 201
    r = await client.post(f"{BASE}/account/{account}/task", headers=auth, json={"Subject": "Call"})
    assert r.status_code == 201
    task = r.json()["ExternalID"]
    r = await client.post(
        f"{BASE}/account/{account}/opportunity", headers=auth, json={"Name": "Renewal"}
    )
    assert r.status_code == 201
    assert_conforms(CREATED, r.json())
    # seed 004: PUT /{entity}/{id} -> "Record updated."
    r = await client.put(f"{BASE}/lead/{lead}", headers=auth, json={"FirstName": "Augusta"})
    assert (r.status_code, r.json()) == (200, UPDATED)
    # seed 004: PUT /lead/convert/{id} with {"Account ExternalID": ...}
    r = await client.put(
        f"{BASE}/lead/convert/{lead}", headers=auth, json={"Account ExternalID": account}
    )
    assert r.status_code == 200
    assert_conforms({"Message": "Record updated."}, r.json())
    # seed 004 heading "/Task/Close/{id}" (its code spells task/close): both as written
    r = await client.put(f"{BASE}/Task/Close/{task}", headers=auth)
    assert (r.status_code, r.json()) == (200, UPDATED)
    r = await client.put(f"{BASE}/task/close/{task}", headers=auth)
    assert (r.status_code, r.json()) == (200, UPDATED)
    # seed 004: DELETE /{entity}/{id} -> "Record deleted."
    r = await client.delete(f"{BASE}/lead/{lead}", headers=auth)
    assert (r.status_code, r.json()) == (200, DELETED)


async def test_errors_sit_in_the_status(client: httpx.AsyncClient) -> None:
    # seed 004 status table: 401 token missing/invalid, 404 not found, 400 malformed
    r = await client.get(f"{BASE}/lead")
    assert r.status_code == 401
    auth = await bearer(client)
    assert (await client.get(f"{BASE}/lead/NOPE0000", headers=auth)).status_code == 404
    bad = await client.post(f"{BASE}/lead", headers=auth, content=b"{not json")
    assert bad.status_code == 400


# -- the backend fed the same public answers ----------------------------------------------------


def public_vendor(*, fields: bool) -> httpx.MockTransport:
    """A vendor answering with seed 004's samples (the fields call 404 unless `fields`)."""

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix(BASE).strip("/").split("/")
        headers = {"x-rate-limit-limit": "1000", "x-rate-limit-remaining": "999",
                   "x-rate-limit-reset": "1900000000", "x-token-reset": "1900000000"}  # fmt: skip
        if path == ["authenticate"]:
            return httpx.Response(200, json=TOKEN, headers=headers)
        if request.headers.get("Authorization") != "Bearer {{token}}":
            return httpx.Response(401, json={"Message": "Authorization has been denied."})
        if path[-1] == "fields":
            return httpx.Response(200 if fields else 404, json=FIELDS if fields else {})
        if request.method == "GET":
            item = LIST["Entity"][0] if path[-1] != "FGH4I5J6" else LIST["Entity"][1]
            body = LIST if len(path) == 1 else item
            return httpx.Response(200, json=body, headers=headers)
        if request.method == "POST":
            return httpx.Response(201, json=CREATED, headers=headers)
        if request.method == "PUT":
            return httpx.Response(200, json=UPDATED, headers=headers)
        return httpx.Response(200, json=DELETED, headers=headers)

    return httpx.MockTransport(handle)


async def backend_on(*, fields: bool) -> Session:
    profile = CMDataManagerProfile.model_validate(
        {"name": "public", "vendor": "cmdatamanager", "base_url": "https://api.example.invalid",
         "mode": "write", "client_id": "client_id", "client_secret": "client_secret",
         "username": "username", "password": "password"}
    )  # fmt: skip
    return await open_session(profile, transport=public_vendor(fields=fields))


async def test_backend_reads_the_public_answers() -> None:
    session = await backend_on(fields=True)
    try:
        assert isinstance(session.backend, CMDataManagerBackend)
        page = await session.backend.list_page("lead", Query(), 0, 2)
        assert page.total == 30 and [r.id for r in page.records] == ["ABC1D2E3", "FGH4I5J6"]
        assert page.next_offset == 2
        record = await session.backend.get("lead", "FGH4I5J6")
        assert record.values["FieldName"] == "FieldValue"
    finally:
        await session.aclose()


async def test_backend_writes_on_the_public_answers() -> None:
    session = await backend_on(fields=False)  # fields inferred from records (as for tasks)
    try:
        backend = session.backend
        assert isinstance(backend, CMDataManagerBackend)
        created = await backend.create("lead", {"FieldName": "FieldValue"})
        assert created.id == "ABC1D2E3"
        updated = await backend.update("lead", "ABC1D2E3", [Change("FieldName", "a", "b")])
        assert updated.id == "ABC1D2E3"
        assert await backend.run_action("task", "ABC1D2E3", "close", {}) == "Record updated."
        await backend.delete("lead", "ABC1D2E3")
    finally:
        await session.aclose()


async def test_backend_on_public_errors() -> None:
    # seed 004 status table: 401 when authentication fails, 404 when the record is not found
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401 if request.url.path.endswith("authenticate") else 404)

    def missing(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("authenticate"):
            return httpx.Response(200, json=TOKEN)
        return httpx.Response(404, json={"Message": "Not found."})

    profile = CMDataManagerProfile.model_validate(
        {"name": "public", "vendor": "cmdatamanager", "base_url": "https://api.example.invalid",
         "mode": "write", "client_id": "a", "client_secret": "b", "username": "c",
         "password": "d"}
    )  # fmt: skip
    for answer, error in ((refuse, AuthError), (missing, NotFound)):
        session = await open_session(profile, transport=httpx.MockTransport(answer))
        try:
            with pytest.raises(error):
                await session.backend.get("lead", "ABC1D2E3")
        finally:
            await session.aclose()
