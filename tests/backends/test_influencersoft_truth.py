"""The InfluencerSoft backend on what the vendor holds: a lead's groups by email (also through
`crmtui get lead EMAIL`), adding a lead to a group, API 1.0 signing, the server's code-0
refusals, and group titles typed in the web UI (HTML-encoded) shown decoded."""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from crmtui.backends.influencersoft.backend import InfluencerSoftBackend
from crmtui.backends.influencersoft.fields import Group
from crmtui.backends.influencersoft.profile import InfluencerSoftProfile
from crmtui.cli.main import main
from crmtui.errors import AuthError, NotFound, ValidationFailed
from crmtui.sandbox.influencersoft.app import DEFAULT_RPS_KEY, GROUPS, NS, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services import demo, edits
from crmtui.services.session import Session, open_session

from .spied import spied_transport

NEWSLETTER, WEBINAR = GROUPS[0], GROUPS[1]
QA = GROUPS[-1]  # a title with &, < and " typed in the web UI


def make_profile(**overrides: Any) -> InfluencerSoftProfile:
    values: dict[str, Any] = {
        "name": "is-truth",
        "vendor": "influencersoft",
        "base_url": "https://is.invalid",
        "mode": "write",
        "login": "sandbox",
        "rps_key": DEFAULT_RPS_KEY,
        **overrides,
    }
    return InfluencerSoftProfile.model_validate(values)


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


@pytest.fixture
def app(store: Store) -> Any:
    return create_app(store, records=40, seed=3)


@pytest.fixture
async def session(app: Any) -> AsyncIterator[Session]:
    s = await open_session(make_profile(), transport=in_process_transport(app))
    yield s
    await s.aclose()


def backend(session: Session) -> InfluencerSoftBackend:
    assert isinstance(session.backend, InfluencerSoftBackend)
    return session.backend


async def test_get_lead_shows_the_groups_the_vendor_holds(session: Session, app: Any) -> None:
    # Someone else (a web form, another tool) subscribed this lead: crmtui never sent it.
    async with httpx.AsyncClient(transport=in_process_transport(app)) as other:
        form = {"rpsKey": DEFAULT_RPS_KEY, "lead_email": "web@example.org"}
        form["add_to_lists"] = f"{NEWSLETTER[0]},{QA[0]}"
        await other.post("https://is.invalid/api/addupdatelead", data=form)
    record = await backend(session).get("lead", "Web@Example.org")
    groups = str(record.values["groups"])
    assert f"{NEWSLETTER[1]} (active since " in groups
    assert QA[1] in groups and "&amp;" not in groups  # decoded once, as the user typed it
    with pytest.raises(NotFound):
        await backend(session).get("lead", "nobody@example.org")


async def test_add_to_group_is_an_action_and_shows_up_in_the_groups(session: Session) -> None:
    assert [a.name for a in await backend(session).actions("lead")] == ["add_to_group"]
    message = await edits.run_action(
        session, "lead", "new@example.org", "add_to_group", {"group": WEBINAR[1]}
    )
    assert message == f"added new@example.org to {WEBINAR[1]}"
    statuses = await backend(session).lead_groups("new@example.org")
    assert [(s.group_id, s.status) for s in statuses] == [(WEBINAR[0], "active")]
    again = await backend(session).add_to_group("new@example.org", WEBINAR[1])
    assert "already in" in again
    with pytest.raises(ValidationFailed, match="no group named"):
        await backend(session).add_to_group("new@example.org", "No such group")


async def test_the_servers_code_zero_refusal_is_an_error(store: Store) -> None:
    quirky = create_app(Store(":memory:"), records=5, seed=3, server_quirks=True)
    s = await open_session(make_profile(), transport=in_process_transport(quirky))
    try:
        b = backend(s)
        b._groups = [*await b.groups(), Group("1.2", "Ghost group")]  # gone since it was listed
        with pytest.raises(ValidationFailed, match="code 103"):
            await b.add_to_group("ghost@example.org", "Ghost group")
    finally:
        await s.aclose()


async def test_api_1_signing_when_the_profile_has_the_secret(app: Any, store: Store) -> None:
    sent, spy = spied_transport(app)
    profile = make_profile(api_secret=DEFAULT_RPS_KEY)
    s = await open_session(profile, transport=spy)
    try:
        record = await backend(s).upsert({"lead_email": "signed@example.org"})
        assert record.id == "signed@example.org"
        assert store.get(NS, "lead", "signed@example.org") is not None
        form = dict(urllib.parse.parse_qsl(sent[-1].content.decode()))
        assert "hash" in form and "rpsKey" not in form
    finally:
        await s.aclose()
    wrong = make_profile(api_secret="not-the-secret")
    s = await open_session(wrong, transport=in_process_transport(app))
    try:
        with pytest.raises(AuthError, match="incorrect hash"):
            await backend(s).groups()
    finally:
        await s.aclose()


def test_crmtui_get_lead_prints_the_vendors_groups(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(demo, "open_demo", functools.partial(demo.open_demo, records=30))
    base = ["--demo", "-p", "demo-influencersoft"]
    assert (
        main(
            [*base, "action", "lead", "cli@example.org", "add_to_group", f"group={QA[1]}", "--yes"]
        )
        == 0
    )
    capsys.readouterr()
    assert main([*base, "get", "lead", "cli@example.org"]) == 0
    out = capsys.readouterr().out
    assert "groups" in out and f"{QA[1]} (active since" in out


async def test_api_1_functions_that_insist_on_a_hash_are_signed_with_the_key() -> None:
    strict = create_app(Store(":memory:"), records=10, seed=3, api1_needs_hash=True)
    s = await open_session(make_profile(), transport=in_process_transport(strict))
    try:
        b = backend(s)
        assert [g.id for g in await b.groups()] == [g for g, _ in GROUPS]
        assert "added" in await b.add_to_group("strict@example.org", NEWSLETTER[1])
        assert [st.group_id for st in await b.lead_groups("strict@example.org")] == [NEWSLETTER[0]]
    finally:
        await s.aclose()


def test_crmtui_get_lead_related_lists_its_groups(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(demo, "open_demo", functools.partial(demo.open_demo, records=30))
    base = ["--demo", "-p", "demo-influencersoft"]
    action = ["action", "lead", "rel@example.org", "add_to_group", f"group={WEBINAR[1]}", "--yes"]
    assert main([*base, *action]) == 0
    capsys.readouterr()
    assert main([*base, "get", "lead", "rel@example.org", "--related"]) == 0
    out = capsys.readouterr().out
    assert "Groups: 1" in out and WEBINAR[0] in out
