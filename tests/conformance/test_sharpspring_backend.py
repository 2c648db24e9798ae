"""The SharpSpring backend fed SharpSpring's public answers (not our emulator's) by transport."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from crmtui.errors import AuthError, NotFound, ValidationFailed
from crmtui.model import Filter, Query
from crmtui.profiles.model import SharpSpringProfile
from crmtui.services.session import Session, open_session

from .sharpspring_public import API_ERROR, AUTH_FAILURE_TEXT, EXAMPLES, GHOST, LEAD_ONE

PUBLIC = {e.name: e.response for e in EXAMPLES}
MEMBERS_LIST = "427083778"  # the list SS-EX 21947501130's members belong to
Answer = Callable[[dict[str, Any]], Any]


def _listing(name: str, key: str) -> Answer:
    """A get-many answer from a public example, its records under the method's own key."""
    return lambda params: {**PUBLIC[name], "result": {key: PUBLIC[name]["result"][key]}}


def _members(params: dict[str, Any]) -> Any:
    answer = copy.deepcopy(PUBLIC["getListMembers"])
    if str(params.get("where", {}).get("id")) != MEMBERS_LIST:
        answer["result"]["getWherelistMemberGets"] = []
    return answer


# Method -> the public answer (a function of the params). Reads of other entities the backend
# makes on the way (reference names) get the public listing of that entity.
ROUTES: dict[str, Answer] = {
    "getLead": lambda p: PUBLIC["getLead"],
    "getLeads": lambda p: PUBLIC["getLeadsDateRange"],  # the full lead sample of a list read
    "getFields": _listing("getFields", "field"),
    "getUserProfiles": _listing("getUserProfiles", "userProfile"),
    "getDealStages": _listing("getDealStagesDateRange", "dealStage"),
    "getCampaigns": _listing("getCampaigns", "campaign"),
    "getAccounts": _listing("getAccountsDateRange", "account"),
    "getOpportunities": _listing("getOpportunities", "opportunity"),
    "getActiveLists": _listing("getActiveLists", "activeList"),
    "getListMembers": _members,
    "getEvents": lambda p: PUBLIC["getEvents"],
    "addListMember": lambda p: PUBLIC["addListMember"],
    "createLeads": lambda p: PUBLIC["createLeads"],
    "updateLeadsV2": lambda p: PUBLIC["updateLeads"],
}


def _constant(answer: Any) -> Answer:
    return lambda params: answer


class Vendor:
    """A transport answering each method with its public answer, echoing the request id."""

    def __init__(self) -> None:
        self.routes = dict(ROUTES)
        self.calls: list[str] = []
        self.status = 200

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.status == 401:  # AE-SS authentication yml: plain text, not the envelope
            return httpx.Response(401, text=AUTH_FAILURE_TEXT)
        body = json.loads(request.content)
        self.calls.append(body["method"])
        answer = copy.deepcopy(self.routes[body["method"]](body["params"]))
        answer["id"] = body["id"]  # the vendor echoes whatever id was sent
        return httpx.Response(200, json=answer)


@pytest.fixture
def vendor() -> Vendor:
    return Vendor()


@pytest.fixture
async def session(vendor: Vendor) -> AsyncIterator[Session]:
    profile = SharpSpringProfile.model_validate(
        {"name": "public", "vendor": "sharpspring", "base_url": "https://api.sharpspring.test",
         "mode": "write", "account_id": "A", "secret_key": "S"}
    )  # fmt: skip
    s = await open_session(profile, transport=httpx.MockTransport(vendor))
    yield s
    await s.aclose()


async def test_the_public_lead_reads_typed(session: Session) -> None:
    lead = await session.backend.get("lead", LEAD_ONE["id"])
    assert lead.id == "88038560770" and "id" not in lead.values
    assert lead.values["leadScore"] == 20 and lead.values["active"] is True
    assert lead.values["isUnsubscribed"] is False
    stamp = lead.values["updateTimestamp"]
    assert stamp == dt.datetime(2016, 11, 9, 17, 18, 22, tzinfo=dt.UTC)  # v1.2 answers in UTC
    assert lead.values["api_big_text_area_57f6638adc5b8"] in ("", None)
    fields = {f.name: f for f in await session.backend.fields("lead")}
    assert fields["api_big_text_area_57f6638adc5b8"].label == "API Big Text Area"


async def test_a_public_lead_list_and_opportunities(session: Session) -> None:
    page = await session.backend.list_page("lead", Query(), 0, 50)
    assert [r.id for r in page.records] == ["88038561794"] and page.next_offset is None
    deals = await session.backend.list_page("opportunity", Query(), 0, 50)
    deal = deals.records[0]
    assert deal.values["closeDate"] == dt.date(2016, 11, 26) and deal.values["amount"] == Decimal(
        "1000"
    )


async def test_the_ghost_answer_is_not_found(session: Session, vendor: Vendor) -> None:
    vendor.routes["getLead"] = lambda p: GHOST
    with pytest.raises(NotFound):
        await session.backend.get("lead", "99999999999")


async def test_a_delete_failing_inside_the_result_raises(session: Session, vendor: Vendor) -> None:
    # The KB's object-level shape (OBJECT_ERROR) with code 404 from its error table.
    failed = {"success": "false", "error": {"code": 404, "message": "A record with that ID does "
                                            "not exist.", "data": []}}  # fmt: skip
    vendor.routes["deleteLeads"] = lambda p: {"result": {"deletes": [failed]}, "error": None}
    with pytest.raises(NotFound):
        await session.backend.delete("lead", "99999999999")


async def test_an_api_level_error_names_the_parameter(session: Session, vendor: Vendor) -> None:
    vendor.routes["getLead"] = lambda p: API_ERROR
    with pytest.raises(ValidationFailed) as caught:
        await session.backend.get("lead", "1")
    assert "id" in caught.value.field_errors


async def test_http_401_text_is_an_auth_error(session: Session, vendor: Vendor) -> None:
    vendor.status = 401
    with pytest.raises(AuthError):
        await session.backend.get("lead", "1")


async def test_create_reads_the_number_id_of_creates(session: Session, vendor: Vendor) -> None:
    made = await session.backend.create("lead", {"emailAddress": "lead.one@gmail.com"})
    assert made.id == "88038560770"  # then read back with getLead (the public sample)
    assert vendor.calls[-2:] == ["createLeads", "getLead"]


async def test_a_leads_events_and_lists_from_public_answers(session: Session) -> None:
    events = await session.backend.list_page("event", Query((Filter("leadID", "1"),)), 0, 3)
    assert events.records[0].values["eventName"] == "Lead unsubscribed from email."
    assert events.records[0].values["createTimestamp"] == dt.datetime(
        2016, 11, 8, 13, 50, 40, tzinfo=dt.UTC
    )
    groups = {g.label: g for g in await session.backend.related("lead", "482357234690")}
    assert [r.values["name"] for r in groups["Lists"].records] == ["Example API List"]
    said = await session.backend.run_action(
        "lead", "482357234690", "add_to_list", {"listID": "API List"}
    )
    assert said == "lead 482357234690 added to list API List"


async def test_values_typed_in_the_web_ui_come_back_decoded(
    session: Session, vendor: Vendor
) -> None:
    # rmuit encoding.md: a standard field typed in the web UI as `& < > " \ '` reads back
    # `&amp; &amp;lt; &gt; &quot; \ &#039;`; one written through the API as `& &lt; > " \ '`.
    ui = "&amp; &amp;lt; &gt; &quot; \\ &#039;"
    api = "& &lt; > \" \\ '"
    for stored in (ui, api):
        answer = {"result": {"lead": [{**LEAD_ONE, "companyName": stored}]}, "error": None}
        vendor.routes["getLead"] = _constant(answer)
        lead = await session.backend.get("lead", LEAD_ONE["id"])
        assert lead.values["companyName"] == "& < > \" \\ '"
