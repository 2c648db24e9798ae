"""InfluencerSoft's public request/response examples, replayed against our emulator and fed to our
backend (through httpx.MockTransport), compared by shape: every answer HTTP 200 with
{error_code, error_text, result, hash}, errors inside the body, the answer's hash per CheckHash.
Each example cites its source (help.influencersoft.com articles; seed 002).

Open in the public record, and how the emulator chose (see crmtui/sandbox/influencersoft):
rass_status values and the subscription_time format; the order of the account checks;
whether one key serves API 2.0 and API 1.0 (the sandbox has one).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote_plus, urlencode

import httpx
import pytest

from crmtui.backends.influencersoft.backend import InfluencerSoftBackend
from crmtui.backends.influencersoft.profile import InfluencerSoftProfile
from crmtui.errors import AuthError, ValidationFailed
from crmtui.sandbox.influencersoft.app import DEFAULT_LOGIN, DEFAULT_RPS_KEY, NS, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import Session, open_session
from tests.conformance.shapes import assert_conforms

# seed 002 (help.influencersoft.com 360057803232): the answer of addupdatelead
OK_ANSWER = {
    "error_code": 0,
    "error_text": "OK",
    "result": [],
    "hash": "******************************",
}
# help.influencersoft.com 360050436312 (GetAllGroups): result = [{rass_name, rass_title}]
ALL_GROUPS = {
    "error_code": 0,
    "error_text": "OK",
    "result": [{"rass_name": "Group 1 ID", "rass_title": "Group 1 Name"}],
    "hash": "x",
}
# help.influencersoft.com 360050901691 (GetLeadGroupStatuses)
GROUP_STATUSES = {
    "error_code": 0,
    "error_text": "OK",
    "result": [
        {
            "rass_name": "Group 1 ID",
            "rass_title": "Group 1 Name",
            "rass_status": "Group 1 Subscription Status",
            "subscription_time": "Group 1 Subscription Time",
        }
    ],
    "hash": "x",
}
# help.influencersoft.com 360050392312: the error table (codes with their texts)
TABLE = {
    1: "not transferred hash",
    2: "no transmitted data",
    4: "incorrect hash",
}


def php_multipart(fields: list[tuple[str, str]]) -> tuple[str, bytes]:
    """A multipart/form-data body, as PHP's cURL posts an array of CURLOPT_POSTFIELDS."""
    boundary = f"------------------------{uuid.uuid4().hex[:16]}"
    chunks = []
    for name, value in fields:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    body = "".join(chunks) + f"--{boundary}--\r\n"
    return f"multipart/form-data; boundary={boundary}", body.encode()


def signed_body(params: list[tuple[str, str]]) -> str:
    """help.influencersoft.com 360050868031: hash = md5("$params::$user_id::$secret")."""
    query = urlencode(params, quote_via=quote_plus)
    digest = hashlib.md5(f"{query}::{DEFAULT_LOGIN}::{DEFAULT_RPS_KEY}".encode()).hexdigest()
    return f"{query}&hash={digest}" if query else f"hash={digest}"


def check_hash(answer: dict[str, Any]) -> bool:
    """help.influencersoft.com 360050392312 CheckHash: md5("code::text::secret")."""
    text = f"{answer['error_code']}::{answer['error_text']}::{DEFAULT_RPS_KEY}"
    return bool(answer["hash"] == hashlib.md5(text.encode()).hexdigest())


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(store, records=20, seed=4)
    async with httpx.AsyncClient(
        transport=in_process_transport(app), base_url=f"https://{DEFAULT_LOGIN}.influencersoft.com"
    ) as c:
        yield c


async def form_post(client: httpx.AsyncClient, method: str, body: str) -> dict[str, Any]:
    r = await client.post(
        f"/api/{method}", content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert r.status_code == 200  # every answer, errors included, is HTTP 200
    answer: dict[str, Any] = r.json()
    assert check_hash(answer)
    return answer


async def test_seed_002_php_example_as_written(client: httpx.AsyncClient, store: Store) -> None:
    # seed 002: CURLOPT_POSTFIELDS array (so multipart), the list ids with a line break inside
    kind, body = php_multipart(
        [
            ("rpsKey", DEFAULT_RPS_KEY),
            ("lead_email", "test@influencersoft.com"),
            ("add_to_lists", "1594725950.5982672784,\n1605870811.1867176380"),
            ("remove_from_lists", "1534723950.5982672783"),
            ("add_tags", "tag2020"),
        ]
    )
    r = await client.post("/api/addupdatelead", content=body, headers={"content-type": kind})
    assert r.status_code == 200
    answer = r.json()
    assert_conforms(OK_ANSWER, answer)
    assert answer["error_code"] == 0 and check_hash(answer)
    lead = store.get(NS, "lead", "test@influencersoft.com")
    assert lead is not None and "tag2020" in lead["tags"]
    assert set(lead["lists"]) == {"1594725950.5982672784", "1605870811.1867176380"}


async def test_remove_tag_from_lead(client: httpx.AsyncClient) -> None:
    # help-centre copy (GitHub file 54937411543): removetagfromlead, same answer as addupdatelead
    key = [("rpsKey", DEFAULT_RPS_KEY), ("lead_email", "t@example.org")]
    await form_post(client, "addupdatelead", urlencode([*key, ("add_tags", "a,b")]))
    answer = await form_post(client, "removetagfromlead", urlencode([*key, ("tag", "a")]))
    assert_conforms(OK_ANSWER, answer)


async def test_api_1_functions_signed(client: httpx.AsyncClient, store: Store) -> None:
    # 360050436312 GetAllGroups: no parameters, signed
    groups = await form_post(client, "GetAllGroups", signed_body([]))
    assert_conforms(ALL_GROUPS, groups)
    gid = groups["result"][0]["rass_name"]
    # 360050435412 AddLeadToGroup: rid[0], lead_name, lead_email, ...
    params = [("rid[0]", gid), ("lead_name", ""), ("lead_email", "fiztov5@test.com")]
    added = await form_post(client, "AddLeadToGroup", signed_body(params))
    assert_conforms(OK_ANSWER, added)
    # 360050901691 GetLeadGroupStatuses: email (the example's address)
    statuses = await form_post(
        client, "GetLeadGroupStatuses", signed_body([("email", "fiztov5@test.com")])
    )
    assert_conforms(GROUP_STATUSES, statuses)
    lead = store.get(NS, "lead", "fiztov5@test.com")  # 360050435412: empty name: "Dear Friend"
    assert lead is not None and lead["lead_first_name"] == "Dear Friend"


@pytest.mark.parametrize(("body", "code"), [("lead_email=a%40b.io", 1), ("", 2), ("rpsKey=bad", 4)])
async def test_the_error_table(client: httpx.AsyncClient, body: str, code: int) -> None:
    # 360050392312: error_code/error_text inside an HTTP 200 answer, signed like any answer
    answer = await form_post(client, "GetAllGroups", body)
    assert (answer["error_code"], answer["error_text"]) == (code, TABLE[code])
    assert_conforms(OK_ANSWER, answer)


# -- the backend fed the same public answers ----------------------------------------------------


def public_vendor(answers: dict[str, dict[str, Any]]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1].lower()
        return httpx.Response(200, json=answers.get(method, OK_ANSWER))

    return httpx.MockTransport(handle)


async def backend_on(answers: dict[str, dict[str, Any]]) -> Session:
    profile = InfluencerSoftProfile.model_validate(
        {"name": "public", "vendor": "influencersoft", "mode": "write",
         "base_url": "https://username.influencersoft.com", "login": "username",
         "rps_key": "Your API key"}
    )  # fmt: skip
    return await open_session(profile, transport=public_vendor(answers))


async def test_backend_on_the_public_answers() -> None:
    session = await backend_on({"getallgroups": ALL_GROUPS, "getleadgroupstatuses": GROUP_STATUSES})
    try:
        backend = session.backend
        assert isinstance(backend, InfluencerSoftBackend)
        groups = await backend.groups()
        assert [(g.id, g.title) for g in groups] == [("Group 1 ID", "Group 1 Name")]
        record = await backend.upsert({"lead_email": "test@influencersoft.com"})  # seed 002 answer
        assert record.id == "test@influencersoft.com"
        lead = await backend.get("lead", "fiztov5@test.com")
        assert "Group 1 Name (Group 1 Subscription Status since Group 1 Subscription Time)" in str(
            lead.values["groups"]
        )
    finally:
        await session.aclose()


async def test_backend_on_the_public_errors() -> None:
    wrong = {"error_code": 4, "error_text": "incorrect hash", "hash": "x"}  # 360050392312
    session = await backend_on({"getallgroups": wrong})
    try:
        assert isinstance(session.backend, InfluencerSoftBackend)
        with pytest.raises(AuthError, match="incorrect hash"):
            await session.backend.groups()
    finally:
        await session.aclose()
    # the vendor's server code (GitHub file 9897060919): an unknown group with error_code 0
    quirk = {"error_code": 0, "error_text": "Has an invalid subscriptions group", "hash": "x"}
    session = await backend_on({"getallgroups": ALL_GROUPS, "addleadtogroup": quirk})
    try:
        assert isinstance(session.backend, InfluencerSoftBackend)
        with pytest.raises(ValidationFailed, match="code 103"):
            await session.backend.add_to_group("a@b.io", "Group 1 Name")
    finally:
        await session.aclose()
