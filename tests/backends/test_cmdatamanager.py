"""The CMDataManager backend against its sandbox, in-process: what a user of the CLI or UI sees."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest

from crmtui.errors import AuthError, NotFound, RateLimited, ValidationFailed, VendorError
from crmtui.model import Capability, Change, FieldType, Query, Sort
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.sandbox.faults import Faults
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import Session, open_session

from .conftest import make_profile


def methods(session: Session) -> list[str]:
    return [f"{e.method} {e.url.split('/api/v1')[-1].split('?')[0]}" for e in session.log.entries]


async def test_entities_and_lead_fields(session: Session) -> None:
    names = [e.name for e in await session.backend.entities()]
    assert names[:5] == ["lead", "account", "contact", "opportunity", "task"]
    assert "membership" in names
    fields = {f.name: f for f in await session.backend.fields("lead")}
    assert fields["Email"].type is FieldType.EMAIL
    assert fields["Status"].type is FieldType.CHOICE
    assert [c.value for c in fields["Status"].choices][:2] == ["New", "Contacted"]
    assert fields["LastName"].required
    assert fields["CreatedDate"].read_only
    assert fields["Segment"].custom and not fields["FirstName"].custom


async def test_task_fields_are_inferred_because_the_seed_has_no_fields_call(
    session: Session,
) -> None:
    fields = {f.name: f for f in await session.backend.fields("task")}
    assert "Subject" in fields
    assert "inferred" in fields["Subject"].description


async def test_pages_carry_the_total_and_end(session: Session) -> None:
    page = await session.backend.list_page("lead", Query(), 0, 25)
    assert len(page.records) == 25 and page.total == 300 and page.next_offset == 25
    last = await session.backend.list_page("lead", Query(), 275, 25)
    assert len(last.records) == 25 and last.next_offset is None
    # an offset that is not a multiple of the page size still returns the right rows
    shifted = await session.backend.list_page("lead", Query(), 10, 25)
    assert [r.id for r in shifted.records[:15]] == [r.id for r in page.records[10:]]


async def test_server_side_sort_and_field_selection(session: Session) -> None:
    query = Query(sort=Sort("LastName", descending=True), fields=("FirstName", "LastName"))
    page = await session.backend.list_page("lead", query, 0, 50)
    names = [r.values["LastName"] for r in page.records]
    assert names == sorted(names, reverse=True)
    assert set(page.records[0].values) <= {"FirstName", "LastName"}
    assert session.backend.can(Capability.SORT) and not session.backend.can(Capability.SEARCH)


async def test_values_are_typed_and_raw_kept(session: Session) -> None:
    page = await session.backend.list_page("lead", Query(), 0, 50)
    record = next(r for r in page.records if r.raw.get("Score") not in (None, ""))
    assert isinstance(record.values["Score"], int)
    assert isinstance(record.raw["Score"], str)
    assert isinstance(record.values["CreatedDate"], dt.datetime)


async def test_create_get_update_delete(session: Session, store: Store) -> None:
    backend = session.backend
    created = await backend.create(
        "lead", {"FirstName": "Grace", "LastName": "Hopper", "Email": "grace@navy.example"}
    )
    assert created.values["LastName"] == "Hopper"
    assert store.get(CMD_NS, "lead", created.id) is not None
    before = dict(created.values)
    updated = await backend.update("lead", created.id, [Change("FirstName", "Grace", "Ada")])
    assert updated.values["FirstName"] == "Ada"
    assert updated.values["Email"] == before["Email"]
    await backend.delete("lead", created.id)
    with pytest.raises(NotFound):
        await backend.get("lead", created.id)


async def test_update_sends_only_the_changed_fields(app: Any) -> None:
    sent: list[bytes] = []
    inner = in_process_transport(app)

    class Spy(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "PUT":
                sent.append(request.content)
            return await inner.handle_async_request(request)

    spy = Spy()
    session = await open_session(make_profile(), transport=spy)
    try:
        lead = (await session.backend.list_page("lead", Query(), 0, 1)).records[0]
        await session.backend.update("lead", lead.id, [Change("City", None, "Leeds")])
    finally:
        await session.aclose()
    assert sent == [b'{"City":"Leeds"}']


async def test_invalid_values_are_refused_before_any_request(session: Session) -> None:
    lead = (await session.backend.list_page("lead", Query(), 0, 1)).records[0]
    count = session.log.count
    with pytest.raises(ValidationFailed) as info:
        await session.backend.update(
            "lead",
            lead.id,
            [Change("Email", None, "not-an-email"), Change("City", None, "x" * 300)],
        )
    assert set(info.value.field_errors) == {"Email", "City"}
    assert "255" in info.value.field_errors["City"]
    assert session.log.count == count


async def test_vendor_validation_errors_land_on_the_field(session: Session) -> None:
    with pytest.raises(ValidationFailed) as info:
        await session.backend.create("lead", {"FirstName": "No last name"})
    assert "LastName" in info.value.field_errors


async def test_unknown_record_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        await session.backend.get("lead", "NOPE0000")


async def test_bad_credentials_are_an_auth_error(app: Any) -> None:
    session = await open_session(
        make_profile(password="wrong-password-123"), transport=in_process_transport(app)
    )
    try:
        with pytest.raises(AuthError) as info:
            await session.backend.list_page("lead", Query(), 0, 5)
    finally:
        await session.aclose()
    assert "wrong-password-123" not in str(info.value)


async def test_expired_token_is_refreshed_once_for_many_waiting_requests(
    app: Any, faults: Faults
) -> None:
    session = await open_session(make_profile(), transport=in_process_transport(app))
    try:
        await session.backend.list_page("lead", Query(), 0, 5)
        faults.token_ttl = 0.0  # every token issued so far is now expired
        await asyncio.sleep(0.01)
        faults.token_ttl = None
        pages = await asyncio.gather(
            *(session.backend.list_page("lead", Query(), i * 5, 5) for i in range(8))
        )
    finally:
        await session.aclose()
    assert all(len(p.records) == 5 for p in pages)
    auths = [m for m in methods(session) if m.endswith("/authenticate")]
    assert len(auths) == 2  # the first login and exactly one refresh


async def test_spent_rate_limit_is_reported_with_when_to_retry(
    session: Session, faults: Faults
) -> None:
    await session.backend.list_page("lead", Query(), 0, 5)
    assert session.budget().quota_limit is not None
    faults.rate_limit_exhausted = True
    with pytest.raises(RateLimited) as info:
        await session.backend.list_page("lead", Query(), 5, 5)
    assert info.value.retry_after is not None and info.value.retry_after > 0


async def test_html_error_page_becomes_a_clear_error(session: Session, faults: Faults) -> None:
    await session.backend.list_page("lead", Query(), 0, 1)
    faults.error_rate = 1.0
    with pytest.raises(VendorError) as info:
        await session.backend.get("lead", "ANY")
    assert "500" in str(info.value)
    assert "<html" not in str(info.value).lower()


async def test_record_actions(session: Session, store: Store) -> None:
    backend = session.backend
    lead = (await backend.list_page("lead", Query(), 0, 1)).records[0]
    account = (await backend.list_page("account", Query(), 0, 1)).records[0]
    assert {a.name for a in await backend.actions("lead")} >= {"convert", "task"}
    await backend.run_action("lead", lead.id, "convert", {"Account ExternalID": account.id})
    message = await backend.run_action("lead", lead.id, "task", {"Subject": "Call back"})
    task_id = message.split()[-1]
    task = await backend.get("task", task_id)
    assert task.values["Subject"] == "Call back"
    await backend.run_action("task", task_id, "close", {})
    closed = await backend.get("task", task_id)
    assert closed.values.get("ClosedDate") is not None


async def test_secrets_never_reach_the_request_log(session: Session) -> None:
    await session.backend.list_page("lead", Query(), 0, 5)
    secret = session.backend.secrets["client_secret"]
    text = " ".join(f"{e.url} {e.error}" for e in session.log.entries)
    assert secret not in text
    token = getattr(session.backend, "_token", None)  # the vendor's OAuth token, once fetched
    assert token and token not in text


async def test_budget_reads_the_hourly_quota_from_the_headers(session: Session) -> None:
    await session.backend.list_page("lead", Query(), 0, 5)
    budget = session.budget()
    assert budget.quota_limit == 5000
    assert budget.quota_remaining is not None and budget.quota_remaining < 5000
    assert "this hour" in budget.label()
