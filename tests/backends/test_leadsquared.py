"""The LeadSquared backend against its sandbox, in-process: every method and error a user meets."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.applications import Starlette

from crmtui.backends.leadsquared.capture import CaptureRequest
from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.errors import AuthError, NotFound, UsageError, ValidationFailed
from crmtui.model import Capability, Change, FieldType, Filter, Query, Sort
from crmtui.model.raw import RawRequest
from crmtui.sandbox.faults import Faults
from crmtui.sandbox.leadsquared.app import DEFAULT_KEYS, create_app, sandbox_profile
from crmtui.sandbox.leadsquared.async_api import Switches
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import Session, open_session

BASE = "https://lsq.invalid"


class Clock:
    """The sandbox's clock, moved by hand (the client paces on its own real clock)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def make_profile(**overrides: Any) -> LeadSquaredProfile:
    values: dict[str, Any] = {
        "name": "lsq-test",
        "vendor": "leadsquared",
        "base_url": BASE,
        "mode": "write",
        **sandbox_profile(BASE),
        "async_captures": False,
    }
    values.update(overrides)
    return LeadSquaredProfile.model_validate(values)


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
    return create_app(Store(), records=120, seed=3, clock=clock, switches=switches, faults=faults)


@pytest.fixture
async def session(app: Starlette) -> AsyncIterator[Session]:
    s = await open_session(make_profile(), transport=in_process_transport(app))
    yield s
    await s.aclose()


def calls(session: Session) -> list[str]:
    return [f"{e.method} {e.url.split('?')[0].rsplit('/', 1)[-1]}" for e in session.log.entries]


async def test_fields_come_from_metadata_with_custom_fields_and_option_sets(
    session: Session,
) -> None:
    fields = {f.name: f for f in await session.backend.fields("lead")}
    assert fields["EmailAddress"].type is FieldType.EMAIL and fields["EmailAddress"].required
    assert fields["mx_Industry"].custom and fields["mx_Industry"].type is FieldType.CHOICE
    assert "Technology" in [c.value for c in fields["mx_Industry"].choices]
    owner = fields["OwnerId"]
    assert owner.type is FieldType.CHOICE and owner.choices[0].label == "Asha Rao"
    assert "ProspectID" not in fields and fields["CreatedOn"].read_only  # the id, shown once
    assert fields["DoNotEmail"].type is FieldType.BOOLEAN
    assert not fields["FirstName"].custom


async def test_pages_have_the_record_count_and_are_sorted_by_prospect_id(
    session: Session,
) -> None:
    first = await session.backend.list_page("lead", Query(), 0, 50)
    assert first.total == 120 and len(first.records) == 50 and first.next_offset == 50
    last = await session.backend.list_page("lead", Query(), 100, 50)
    assert len(last.records) == 20 and last.next_offset is None
    ids = [r.id for r in first.records]
    assert ids == sorted(ids)
    shifted = await session.backend.list_page("lead", Query(), 10, 50)
    assert [r.id for r in shifted.records[:40]] == ids[10:]
    assert "Leads.RecentlyModified" in calls(session)[-1]


async def test_numbers_flags_and_dates_are_typed_from_strings(session: Session) -> None:
    page = await session.backend.list_page("lead", Query(), 0, 50)
    lead = page.records[0]
    assert isinstance(lead.raw["Score"], str) and isinstance(lead.values["Score"], int)
    assert lead.raw["DoNotEmail"] in ("0", "1") and isinstance(lead.values["DoNotEmail"], bool)
    assert lead.raw["CreatedOn"].endswith(".000")
    assert isinstance(lead.values["CreatedOn"], dt.datetime)


async def test_server_side_sort(session: Session) -> None:
    page = await session.backend.list_page("lead", Query(sort=Sort("LastName", True)), 0, 60)
    names = [str(r.values["LastName"]).lower() for r in page.records]
    assert names == sorted(names, reverse=True) and page.total == 120


async def test_search_by_email_is_case_insensitive(session: Session) -> None:
    lead = (await session.backend.list_page("lead", Query(), 0, 5)).records[2]
    email = str(lead.values["EmailAddress"]).upper()
    page = await session.backend.list_page(
        "lead", Query(filters=(Filter("EmailAddress", email),)), 0, 50
    )
    assert [r.id for r in page.records] == [lead.id] and page.total == 1
    assert "Leads.GetByEmailaddress" in calls(session)[-1]


async def test_search_by_other_fields_has_no_total(session: Session) -> None:
    page = await session.backend.list_page(
        "lead", Query(filters=(Filter("LastName", "a", "contains"),)), 0, 10
    )
    assert page.total is None and page.records
    assert all("a" in str(r.values["LastName"]).lower() for r in page.records)
    with pytest.raises(UsageError, match="one field"):
        await session.backend.list_page(
            "lead", Query(filters=(Filter("LastName", "a"), Filter("FirstName", "b"))), 0, 10
        )


async def test_get_and_unknown_lead(session: Session) -> None:
    lead = (await session.backend.list_page("lead", Query(), 0, 1)).records[0]
    again = await session.backend.get("lead", lead.id)
    assert again.values == lead.values
    with pytest.raises(NotFound):
        await session.backend.get("lead", "00000000-0000-4000-8000-000000000000")


async def test_create_then_update_sends_only_changed_fields(session: Session) -> None:
    backend = session.backend
    created = await backend.create(
        "lead",
        {"FirstName": "Ada", "EmailAddress": "ada@example.com", "mx_Budget": "5000"},
    )
    assert created.values["mx_Budget"] == 5000 and created.values["ProspectStage"] == "Prospect"
    updated = await backend.update("lead", created.id, [Change("mx_City", None, "Pune")])
    assert updated.values["mx_City"] == "Pune" and updated.values["FirstName"] == "Ada"
    sent = backend.http.log.entries[-2]
    assert "Lead.Update" in sent.url and sent.sent < 80  # one attribute, not the whole lead


async def test_duplicate_email_and_bad_values_are_validation_errors(session: Session) -> None:
    backend = session.backend
    await backend.create("lead", {"EmailAddress": "dup@example.com"})
    with pytest.raises(ValidationFailed, match="MXDuplicateEntryException"):
        await backend.create("lead", {"EmailAddress": "dup@example.com"})
    with pytest.raises(ValidationFailed) as caught:
        await backend.create("lead", {"FirstName": "No email"})
    assert "EmailAddress" in caught.value.field_errors  # checked before any request


async def test_mx_errors_answered_with_http_200_are_still_errors(
    session: Session, switches: Switches
) -> None:
    switches.mx_status = 200
    with pytest.raises(NotFound, match="does not exist"):
        await session.backend.update(
            "lead", "00000000-0000-4000-8000-000000000000", [Change("FirstName", None, "X")]
        )


async def test_wrong_keys_are_an_auth_error_without_the_secret(app: Starlette) -> None:
    profile = make_profile(secret_key="wrong-SECRET-canary")
    s = await open_session(profile, transport=in_process_transport(app))
    try:
        with pytest.raises(AuthError) as caught:
            await s.backend.get("lead", "x")
        assert "wrong-SECRET-canary" not in str(caught.value)
        assert all("wrong-SECRET-canary" not in e.url for e in s.log.entries)
    finally:
        await s.aclose()


async def test_sync_capture_creates_the_opportunity(session: Session) -> None:
    result = await session.backend.capture_opportunity(  # type: ignore[attr-defined]
        CaptureRequest(
            "new.buyer@example.com",
            12231,
            note="Asked for a demo",
            when=dt.datetime(2024, 5, 1, 10, 30),
            fields={"mx_Custom_1": "3"},
        )
    )
    assert not result.asynchronous and result.opportunity_id and result.lead_id
    lead = await session.backend.get("lead", result.lead_id)
    assert lead.values["EmailAddress"] == "new.buyer@example.com"


async def test_sync_capture_with_an_unknown_event_code_fails(session: Session) -> None:
    with pytest.raises(ValidationFailed, match="event code 999"):
        await session.backend.capture_opportunity(  # type: ignore[attr-defined]
            CaptureRequest("x@example.com", 999)
        )


async def test_async_capture_moves_from_queue_to_success(session: Session, clock: Clock) -> None:
    backend: Any = session.backend
    result = await backend.capture_opportunity(
        CaptureRequest("async.buyer@example.com", 12231), asynchronous=True
    )
    assert result.asynchronous and result.request_id
    status = await backend.job_status("opportunity", result.request_id)
    assert (status.vendor_status, status.outcome, status.final) == ("In-Queue", "pending", False)
    assert "async.buyer@example.com" in status.request_body
    clock.now += 5
    status = await backend.job_status("opportunity", result.request_id)
    assert (status.outcome, status.final) == ("succeeded", True)
    assert "RelatedProspectId" in status.message


async def test_async_mx_failure_is_final_and_other_errors_are_retried(
    session: Session, clock: Clock, switches: Switches
) -> None:
    backend: Any = session.backend
    bad = await backend.capture_opportunity(
        CaptureRequest("y@example.com", 4242), asynchronous=True
    )
    clock.now += 3.5
    failed = await backend.job_status("opportunity", bad.request_id)
    assert (failed.vendor_status, failed.outcome, failed.final) == ("FAILURE", "failed", True)
    assert "MXInvalidInputException" in failed.message
    switches.async_transient_failures = 1
    flaky = await backend.capture_opportunity(
        CaptureRequest("z@example.com", 12231), asynchronous=True
    )
    clock.now += 3.5
    retrying = await backend.job_status("opportunity", flaky.request_id)
    assert (retrying.vendor_status, retrying.final) == ("ERROR", False)
    assert "retried" in retrying.reason
    clock.now += 3.5
    done = await backend.job_status("opportunity", flaky.request_id)
    assert done.outcome == "succeeded"


async def test_async_needs_the_api_key(app: Starlette) -> None:
    s = await open_session(make_profile(api_key="not-the-key"), transport=in_process_transport(app))
    try:
        with pytest.raises(AuthError):
            await s.backend.capture_opportunity(  # type: ignore[attr-defined]
                CaptureRequest("k@example.com", 12231), asynchronous=True
            )
    finally:
        await s.aclose()


async def test_unknown_async_request_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        await session.backend.job_status("lead", "nope")  # type: ignore[attr-defined]


async def test_raw_calls_add_the_keys_and_mask_them(session: Session) -> None:
    backend = session.backend
    request = RawRequest("GET", "LeadManagement.svc/LeadsMetaData.Get")
    answer = await backend.raw(request)
    assert answer.status == 200 and "SchemaName" in answer.body
    assert DEFAULT_KEYS.secret_key not in answer.shown_url
    assert not backend.is_write(request)
    assert not backend.is_write(RawRequest("POST", "LeadManagement.svc/Leads.Get"))
    assert backend.is_write(RawRequest("POST", "LeadManagement.svc/Lead.Create"))
    assert backend.is_write(RawRequest("POST", "opportunity/capture", host="async"))
    assert backend.can(Capability.ASYNC_JOBS) and not backend.can(Capability.DELETE)


@pytest.mark.parametrize("in_body", [False, True], ids=["http-429", "http-200-mx"])
async def test_rate_limit_waits_a_window_and_retries(
    session: Session, switches: Switches, clock: Clock, in_body: bool
) -> None:
    switches.rate_limit_in_body = in_body
    waits: list[float] = []

    def on_wait(seconds: float, reason: str) -> None:
        waits.append(seconds)
        clock.now += seconds  # the sandbox's window passes while the client waits

    async def no_sleep(seconds: float) -> None:
        return None

    http = session.backend.http
    http.on_wait = on_wait
    http.limiter._sleep = no_sleep  # client pacing: instant
    for _ in range(30):  # the sandbox's clock stands still, so call 26 hits its limit
        page = await session.backend.list_page("lead", Query(), 0, 5)
        assert len(page.records) == 5
    assert waits == [5.0]
    retried = [e for e in http.log.entries if e.attempt > 1]
    assert len(retried) == 1 and retried[0].status == 200  # one retry, after the window
    assert len(http.log.entries) == 32  # metadata, 30 pages, and that one retry
