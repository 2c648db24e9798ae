"""InfluencerSoft backend against its sandbox: every call, every error code, the sent history."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from crmtui.backends.influencersoft.backend import InfluencerSoftBackend
from crmtui.backends.influencersoft.fields import LEAD_FIELD_NAMES, LEAD_NOTE
from crmtui.backends.influencersoft.profile import InfluencerSoftProfile
from crmtui.errors import AuthError, NotFound, ValidationFailed, VendorError
from crmtui.model import Capability, Query
from crmtui.model.raw import RawRequest
from crmtui.sandbox.influencersoft.app import DEFAULT_RPS_KEY, GROUPS, NS, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.sent import SentHistory
from crmtui.services.session import Session, open_session

NEWSLETTER, WEBINAR = GROUPS[0], GROUPS[1]


def make_profile(**overrides: Any) -> InfluencerSoftProfile:
    values: dict[str, Any] = {
        "name": "is-test",
        "vendor": "influencersoft",
        "base_url": "https://is.invalid",
        "mode": "write",
        "login": "sandbox",
        "rps_key": DEFAULT_RPS_KEY,
    }
    values.update(overrides)
    return InfluencerSoftProfile.model_validate(values)


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


@pytest.fixture
def app(store: Store) -> Any:
    return create_app(store, records=50, seed=3)


@pytest.fixture
async def session(app: Any) -> AsyncIterator[Session]:
    s = await open_session(make_profile(), transport=in_process_transport(app))
    yield s
    await s.aclose()


def backend(session: Session) -> InfluencerSoftBackend:
    assert isinstance(session.backend, InfluencerSoftBackend)
    return session.backend


def lead(store: Store, email: str) -> dict[str, Any]:
    found = store.get(NS, "lead", email.lower())
    assert found is not None, f"no lead {email} in the sandbox"
    return found


async def test_upsert_sends_every_seed_field_and_updates_by_email(
    session: Session, store: Store
) -> None:
    values = {name: f"v-{name}" for name in LEAD_FIELD_NAMES}
    values.update(
        lead_email="Ada.Lovelace@Example.org",
        lead_phone="+44 20 7946 0000",
        lead_shipping_country_code="GB",
        lead_billing_country_code="US",
    )
    record = await backend(session).upsert(values, add_tags=["vip", "webinar"])
    assert record.id == "Ada.Lovelace@Example.org"
    stored = lead(store, "ada.lovelace@example.org")
    for name in LEAD_FIELD_NAMES:
        assert stored[name] == values[name], name
    assert stored["tags"] == ["vip", "webinar"]

    count = store.count(NS, "lead")
    await backend(session).upsert(
        {"lead_email": "ada.lovelace@example.org", "lead_first_name": "Ada"},
        remove_tags=["vip"],
        add_tags=["trial"],
    )
    assert store.count(NS, "lead") == count  # matched by email, not a second lead
    stored = lead(store, "ada.lovelace@example.org")
    assert stored["lead_first_name"] == "Ada"
    assert stored["lead_last_name"] == "v-lead_last_name"  # untouched fields stay
    assert stored["tags"] == ["webinar", "trial"]


async def test_lists_are_picked_by_name_from_get_all_groups(session: Session, store: Store) -> None:
    b = backend(session)
    groups = await b.groups()
    assert [(g.id, g.title) for g in groups] == list(GROUPS)
    await b.upsert(
        {"lead_email": "grace@example.org"}, add_lists=[NEWSLETTER[1], WEBINAR[1].upper()]
    )
    assert lead(store, "grace@example.org")["lists"] == [NEWSLETTER[0], WEBINAR[0]]
    await b.upsert({"lead_email": "grace@example.org"}, remove_lists=[NEWSLETTER[1]])
    assert lead(store, "grace@example.org")["lists"] == [WEBINAR[0]]

    with pytest.raises(ValidationFailed) as caught:
        await b.upsert({"lead_email": "grace@example.org"}, add_lists=["Newsleter"])
    assert "did you mean Newsletter" in caught.value.field_errors["add_to_lists"]


async def test_remove_tag_from_lead(session: Session, store: Store) -> None:
    b = backend(session)
    await b.upsert({"lead_email": "tom@example.org"}, add_tags=["a", "b", "c"])
    await b.remove_tags("tom@example.org", ["a", "c"])
    assert lead(store, "tom@example.org")["tags"] == ["b"]
    with pytest.raises(VendorError) as caught:
        await b.remove_tags("nobody@example.org", ["a"])
    assert caught.value.code == 500


async def test_leads_cannot_be_listed_and_say_so(session: Session) -> None:
    b = backend(session)
    spec = await b.entity("lead")
    assert spec.can(Capability.CREATE) and spec.can(Capability.GET)  # GET: a lead's groups
    assert not spec.can(Capability.LIST)
    assert spec.note == LEAD_NOTE
    page = await b.list_page("lead", Query(), 0, 50)
    assert page.records == [] and page.is_last and page.notes == [LEAD_NOTE]
    with pytest.raises(NotFound):
        await b.get("lead", "ada@example.org")
    groups = await b.list_page("group", Query(), 0, 4)
    assert [r.id for r in groups.records] == [g for g, _ in GROUPS[:4]]
    assert groups.total == len(GROUPS) and groups.next_offset == 4
    assert (await b.get("group", GROUPS[2][0])).values["rass_title"] == GROUPS[2][1]
    with pytest.raises(NotFound):
        await b.get("group", "1.2")


@pytest.mark.parametrize(
    ("form", "code", "field"),
    [
        ({"lead_email": "not-an-email"}, 600, "lead_email"),
        ({}, 100, "lead_email"),
        ({"lead_email": "a@example.org", "add_to_lists": "newsletter"}, 103, "add_to_lists"),
        ({"lead_email": "a@example.org", "add_to_lists": "1.2"}, 501, "add_to_lists"),
        ({"lead_email": "a@example.org", "remove_from_lists": "9.9"}, 501, "remove_from_lists"),
    ],
)
async def test_vendor_field_errors_map_to_the_field(
    session: Session, store: Store, form: dict[str, str], code: int, field: str
) -> None:
    # Sent as is (the backend's own checks would stop these before the vendor sees them).
    b = backend(session)
    before = store.count(NS, "lead")
    with pytest.raises(ValidationFailed) as caught:
        await b._send("addupdatelead", form, b_op())
    assert f"code {code}" in caught.value.field_errors[field]
    assert store.count(NS, "lead") == before


def b_op() -> Any:
    from crmtui.http.retry import OpKind

    return OpKind.IDEMPOTENT


async def test_the_backend_checks_values_before_sending(session: Session) -> None:
    b = backend(session)
    with pytest.raises(ValidationFailed) as caught:
        await b.upsert({"lead_email": "nobody-at-example", "lead_nickname": "x"})
    assert set(caught.value.field_errors) == {"lead_email", "lead_nickname"}
    assert len(session.log.entries) == 0


@pytest.mark.parametrize("code", [1, 4, 5, 6, 7])
async def test_account_codes_are_auth_errors(session: Session, app: Any, code: int) -> None:
    app.state.forced.append(code)
    with pytest.raises(AuthError, match=f"code {code}"):
        await backend(session).upsert({"lead_email": "a@example.org"})


@pytest.mark.parametrize("code", [2, 3])
async def test_posted_data_codes_are_the_requests_fault(
    session: Session, app: Any, code: int
) -> None:
    app.state.forced.append(code)
    with pytest.raises(VendorError, match=f"could not read the request.*code {code}"):
        await backend(session).upsert({"lead_email": "a@example.org"})


@pytest.mark.parametrize("code", [101, 102, 104, 500])
async def test_other_codes_are_vendor_errors(session: Session, app: Any, code: int) -> None:
    app.state.forced.append(code)
    with pytest.raises(VendorError) as caught:
        await backend(session).upsert({"lead_email": "a@example.org"})
    assert caught.value.code == code


async def test_a_wrong_key_is_refused_and_never_shown(app: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "WRONG-rps-key-canary-91f2"
    s = await open_session(make_profile(rps_key=wrong), transport=in_process_transport(app))
    try:
        with pytest.raises(AuthError) as caught:
            await backend(s).groups()
        assert "incorrect hash (code 4)" in str(caught.value)
        shown = [str(caught.value), caplog.text, *(str(e) for e in s.log.entries)]
        assert all(wrong not in text for text in shown)
    finally:
        await s.aclose()


async def test_every_answer_is_signed_with_the_key(app: Any) -> None:
    async with httpx.AsyncClient(transport=in_process_transport(app)) as client:
        for data in ({"rpsKey": DEFAULT_RPS_KEY}, {"rpsKey": "nope"}, {}):
            body = (await client.post("https://is.invalid/api/GetAllGroups", data=data)).json()
            text = f"{body['error_code']}::{body['error_text']}::{DEFAULT_RPS_KEY}"
            assert body["hash"] == hashlib.md5(text.encode()).hexdigest()
        body = (
            await client.post(
                "https://is.invalid/api/GetAllGroups", json={"rpsKey": DEFAULT_RPS_KEY}
            )
        ).json()
        assert body["error_code"] == 2  # not form-encoded: no transmitted data


async def test_history_records_every_upsert_and_survives_a_restart(
    session: Session, app: Any
) -> None:
    history = session.sent  # the session keeps one for a vendor that reports what it sent
    assert history is not None
    b = backend(session)
    await b.upsert({"lead_email": "kept@example.org"}, add_tags=["vip"], add_lists=["Newsletter"])
    with pytest.raises(ValidationFailed):
        await b._send("addupdatelead", {"lead_email": "bad"}, b_op())
    await b.groups(refresh=True)  # reads are not history

    reopened = SentHistory(history.path)
    entries = reopened.entries()
    assert [(e.email, e.code, e.ok) for e in entries] == [
        ("bad", 600, False),
        ("kept@example.org", 0, True),
    ]
    first = entries[1]
    assert first.sent["add_tags"] == "vip" and first.sent["add_to_lists"] == NEWSLETTER[0]
    assert first.signed is True
    text = history.path.read_text()
    assert DEFAULT_RPS_KEY not in text and "rpsKey" not in text
    assert stat.S_IMODE(os.stat(history.path).st_mode) == 0o600


async def test_raw_calls_add_the_key_and_mask_it(session: Session) -> None:
    b = backend(session)
    request = RawRequest("GetAllGroups")
    assert not b.is_write(request) and b.is_write(RawRequest("addupdatelead"))
    answer = await b.raw(request)
    assert answer.status == 200 and '"error_code":0' in answer.body.replace(" ", "")
    assert DEFAULT_RPS_KEY not in answer.shown_body + answer.shown_url + answer.body
    assert "rpsKey" in answer.shown_body
