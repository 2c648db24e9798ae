"""The SharpSpring backend against its sandbox, in process: every method, error and limit."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.errors import (
    AuthError,
    NotFound,
    PartialFailure,
    RateLimited,
    UsageError,
    ValidationFailed,
)
from crmtui.model import Change, FieldType, Filter, Query
from crmtui.model.raw import RawRequest
from crmtui.model.records import format_value
from crmtui.sandbox.faults import Faults
from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY, create_app
from crmtui.sandbox.sharpspring.schema import NS
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.paging import iter_records
from crmtui.services.session import Session, open_session

COLOR = "Favorite_Color_5a0dd86e6e290"


def make_profile(**overrides: Any) -> SharpSpringProfile:
    values: dict[str, Any] = {
        "name": "ss-test",
        "vendor": "sharpspring",
        "base_url": "https://ss.invalid",
        "mode": "write",
        "account_id": ACCOUNT_ID,
        "secret_key": SECRET_KEY,
    }
    values.update(overrides)
    return SharpSpringProfile.model_validate(values)


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store(":memory:")
    create_app(store, records=600, seed=3)
    return store


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
def app(store: Store, faults: Faults) -> Any:
    return create_app(store, faults=faults)


async def _open(app: Any, **overrides: Any) -> Session:
    return await open_session(make_profile(**overrides), transport=in_process_transport(app))


@pytest.fixture
async def session(app: Any) -> AsyncIterator[Session]:
    s = await _open(app)
    yield s
    await s.aclose()


async def test_entities_and_typed_fields(session: Session) -> None:
    backend = session.backend
    names = [e.name for e in await backend.entities()]
    assert names == [
        "lead",
        "account",
        "campaign",
        "opportunity",
        "deal_stage",
        "user_profile",
        "list",
        "event",
    ]
    lead = await backend.entity("lead")
    assert lead.search_fields == ("emailAddress",)
    fields = {f.name: f for f in await backend.fields("lead")}
    assert fields["leadStatus"].type is FieldType.CHOICE
    assert [c.value for c in fields["leadStatus"].choices] == [
        "unqualified",
        "open",
        "qualified",
        "contact",
        "contactWithOpp",
    ]
    assert fields["isUnsubscribed"].type is FieldType.BOOLEAN
    assert fields["leadScore"].type is FieldType.INTEGER
    assert fields["updateTimestamp"].type is FieldType.DATETIME
    assert fields[COLOR].custom and fields[COLOR].label == "Favorite Color"
    owner = fields["ownerID"]
    assert owner.type is FieldType.REFERENCE and len(owner.choices) == 8
    opp = {f.name: f for f in await backend.fields("opportunity")}
    assert {c.label for c in opp["dealStageID"].choices} >= {"Prospecting", "Closed Won"}


async def test_a_renamed_custom_field_keeps_its_system_name(store: Store, app: Any) -> None:
    store.update(NS, "field", "901", {"label": "Pet's Name"})
    try:
        s = await _open(app)
        fields = {f.name: f for f in await s.backend.fields("lead")}
        await s.aclose()
        assert fields[COLOR].label == "Pet's Name"
    finally:
        store.update(NS, "field", "901", {"label": "Favorite Color"})


async def test_pages_are_typed_short_at_the_end_and_have_no_total(session: Session) -> None:
    backend = session.backend
    page = await backend.list_page("lead", Query(), 0, 100)
    assert len(page.records) == 100 and page.total is None and page.next_offset == 100
    record = page.records[0]
    assert isinstance(record.values["active"], bool) and record.values["active"] is True
    assert isinstance(record.values["leadScore"], int)
    assert isinstance(record.values["updateTimestamp"], dt.datetime)
    assert record.values["updateTimestamp"].tzinfo is not None
    assert record.raw["leadScore"] == str(record.values["leadScore"])  # strings on the wire
    fields = {f.name: f for f in await backend.fields("lead")}
    owner = record.values["ownerID"]
    assert format_value(owner, fields["ownerID"]) != owner  # shown by name
    everything = [r async for r in iter_records(backend, "lead", Query())]
    active = [r for r in everything if r.values["active"]]
    assert len(everything) == len(active) and 500 < len(everything) < 600
    last = await backend.list_page("lead", Query(), 500, 500)
    assert last.next_offset is None and len(last.records) < 500


async def test_search_by_email_is_case_insensitive_and_finds_inactive_leads(
    session: Session, store: Store
) -> None:
    backend = session.backend
    rid, data = store.list(NS, "inactiveLead", offset=0, limit=1)[0]
    query = Query(filters=(Filter("emailAddress", data["emailAddress"].upper()),))
    page = await backend.list_page("lead", query, 0, 50)
    assert [r.id for r in page.records] == [rid]
    assert page.records[0].values["active"] is False
    with pytest.raises(UsageError):
        await backend.list_page("lead", Query(filters=(Filter("city", "Leeds"),)), 0, 50)


async def test_get_every_entity_and_unknown_ids(session: Session) -> None:
    backend = session.backend
    for entity in ("lead", "account", "campaign", "opportunity", "deal_stage", "user_profile",
                   "list"):  # fmt: skip
        first = (await backend.list_page(entity, Query(), 0, 5)).records[0]
        again = await backend.get(entity, first.id)
        assert again.values == first.values
    with pytest.raises(NotFound):
        await backend.get("lead", "999999999")
    with pytest.raises(UsageError):
        await backend.get("lead", "abc")


async def test_create_update_delete_a_lead(session: Session, store: Store) -> None:
    backend = session.backend
    created = await backend.create(
        "lead", {"emailAddress": "new.person@example.test", "firstName": "New", COLOR: "Teal"}
    )
    assert created.values["firstName"] == "New" and created.values[COLOR] == "Teal"
    assert created.raw["leadStatus"] == "open"
    with pytest.raises(ValidationFailed) as dup:
        await backend.create("lead", {"emailAddress": "NEW.person@example.test"})
    assert "emailAddress" in dup.value.field_errors
    updated = await backend.update(
        "lead", created.id, [Change("leadStatus", "open", "qualified"), Change(COLOR, "Teal", "")]
    )
    assert updated.values["leadStatus"] == "qualified" and updated.raw[COLOR] == ""
    # nothing changed (302) is not an error
    await backend.update("lead", created.id, [Change("leadStatus", "open", "qualified")])
    await backend.delete("lead", created.id)
    assert store.get(NS, "lead", created.id) is None
    with pytest.raises(NotFound):
        await backend.delete("lead", created.id)
    with pytest.raises(NotFound):  # updateLeadsV2 reports an unknown id
        await backend.update("lead", created.id, [Change("firstName", "New", "Old")])


class Recording(httpx.AsyncBaseTransport):
    """Keeps every request (body and headers) before handing it on."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


async def test_update_sends_only_changed_fields_via_v2_without_expect(
    app: Any, store: Store
) -> None:
    recording = Recording(in_process_transport(app))
    session = await open_session(make_profile(), transport=recording)
    backend = session.backend
    rid = store.list(NS, "lead", offset=0, limit=1)[0][0]
    before = store.get(NS, "lead", rid)
    assert before is not None
    await backend.update("lead", rid, [Change("title", before["title"], "Chief Tester")])
    await session.aclose()
    bodies = [json.loads(r.content) for r in recording.requests]
    writes = [b for b in bodies if b["method"].startswith("update")]
    objects = [{"id": int(rid), "title": "Chief Tester"}]
    assert writes == [
        {"method": "updateLeadsV2", "params": {"objects": objects}, "id": writes[0]["id"]}
    ]
    assert all("expect" not in r.headers for r in recording.requests)
    assert all(r.url.params["accountID"] == ACCOUNT_ID for r in recording.requests)
    after = store.get(NS, "lead", rid)
    assert after is not None and after["title"] == "Chief Tester"
    assert {k: v for k, v in after.items() if k not in ("title", "updateTimestamp")} == {
        k: v for k, v in before.items() if k not in ("title", "updateTimestamp")
    }


async def test_object_level_errors_land_on_the_right_field_and_object(
    session: Session, store: Store
) -> None:
    backend = session.backend
    rows = store.list(NS, "lead", offset=0, limit=2)
    with pytest.raises(ValidationFailed) as bad:
        await backend.create("lead", {"emailAddress": "x@example.test", "ownerID": "1"})
    assert "ownerID" in bad.value.field_errors
    with pytest.raises(PartialFailure) as partial:
        await backend.update_many(  # type: ignore[attr-defined]
            "lead",
            [
                (rows[0][0], [Change("emailAddress", None, rows[1][1]["emailAddress"])]),
                (rows[1][0], [Change("city", None, "Oslo")]),
                ("999999998", [Change("city", None, "Oslo")]),
            ],
        )
    results = partial.value.results
    assert [r.ok for r in results] == [False, True, False]
    assert results[0].code == 301 and results[0].field == "emailAddress"
    assert results[2].code == 404


async def test_opportunity_requires_its_four_fields(session: Session) -> None:
    with pytest.raises(ValidationFailed) as bad:
        await session.backend.create("opportunity", {"opportunityName": "Deal"})
    assert {"ownerID", "dealStageID", "closeDate"} <= set(bad.value.field_errors)
    stage = (await session.backend.list_page("deal_stage", Query(), 0, 1)).records[0]
    owner = (await session.backend.list_page("user_profile", Query(), 0, 1)).records[0]
    made = await session.backend.create(
        "opportunity",
        {"opportunityName": "Deal", "ownerID": owner.id, "dealStageID": stage.id,
         "closeDate": "2026-01-31", "amount": "1200.50"},
    )  # fmt: skip
    assert made.values["amount"] == Decimal("1200.50")
    assert made.values["closeDate"] == dt.date(2026, 1, 31)


async def test_v1_answers_in_the_company_zone_and_both_agree(app: Any, store: Store) -> None:
    v1 = await _open(app, api_version="v1")
    v12 = await _open(app, api_version="v1.2")
    try:
        rid = store.list(NS, "lead", offset=0, limit=1)[0][0]
        a, b = await v1.backend.get("lead", rid), await v12.backend.get("lead", rid)
        assert a.raw["updateTimestamp"] != b.raw["updateTimestamp"]  # different zones on the wire
        assert a.values["updateTimestamp"] == b.values["updateTimestamp"]  # same moment
    finally:
        await v1.aclose()
        await v12.aclose()


async def test_changed_since_sees_new_and_updated_leads(session: Session, store: Store) -> None:
    backend = session.backend
    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=2)
    assert await backend.changed_since("lead", since) == [] or True
    made = await backend.create("lead", {"emailAddress": "watch.me@example.test"})
    rid = store.list(NS, "lead", offset=0, limit=1)[0][0]
    await backend.update("lead", rid, [Change("city", None, "Reykjavik")])
    found = await backend.changed_since("lead", since)
    ids = [r.id for r in found]
    assert made.id in ids and rid in ids
    with pytest.raises(UsageError):
        await backend.changed_since("deal_stage", since)


async def test_unknown_account_is_401_plain_text_and_an_auth_error(app: Any) -> None:
    s = await _open(app, account_id="nobody")
    try:
        with pytest.raises(AuthError):
            await s.backend.list_page("lead", Query(), 0, 10)
    finally:
        await s.aclose()
    s = await _open(app, secret_key="wrong-secret-value")
    try:
        with pytest.raises(AuthError) as err:
            await s.backend.list_page("lead", Query(), 0, 10)
        assert "wrong-secret-value" not in str(err.value)
    finally:
        await s.aclose()


async def test_daily_quota_is_a_rate_limit(app: Any, faults: Faults) -> None:
    faults.rate_limit_exhausted = True
    s = await _open(app)
    try:
        with pytest.raises(RateLimited) as err:
            await s.backend.list_page("lead", Query(), 0, 10)
        assert err.value.retry_after is not None and err.value.retry_after > 1
    finally:
        await s.aclose()


async def test_a_107_waits_and_retries(store: Store) -> None:
    app = create_app(store, per_second=2)
    s = await _open(app)
    s.backend.http.limiter.limit = 50  # let the client outpace the (stricter) server
    try:
        pages = [await s.backend.list_page("deal_stage", Query(), 0, 10) for _ in range(4)]
        assert all(len(p.records) == 6 for p in pages)
        assert any(e.attempt > 1 for e in s.log.entries)  # a 107 was waited out and retried
    finally:
        await s.aclose()


async def test_raw_calls_and_writes(session: Session) -> None:
    backend = session.backend
    answer = await backend.raw(RawRequest("getLeads", body={"where": {}, "limit": 2}))
    assert answer.status == 200 and '"lead"' in answer.body
    assert SECRET_KEY not in answer.shown_url and SECRET_KEY not in answer.body
    assert backend.is_write(RawRequest("createLeads")) and not backend.is_write(
        RawRequest("getLeads")
    )
