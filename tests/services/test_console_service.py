"""The console service: requests in each vendor's shape, the profile's mode, one budget and log."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from crmtui.backends.cmdatamanager.profile import CMDataManagerProfile
from crmtui.errors import UsageError
from crmtui.sandbox.cmdatamanager.app import DEFAULT_CREDENTIALS, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services import console
from crmtui.services.session import Session, open_session
from crmtui.services.write_policy import ConfirmationNeeded


def cmd_profile(mode: str = "write") -> CMDataManagerProfile:
    return CMDataManagerProfile.model_validate(
        {
            "name": "t",
            "vendor": "cmdatamanager",
            "base_url": "https://cmd.invalid",
            "mode": mode,
            "client_id": DEFAULT_CREDENTIALS.client_id,
            "client_secret": DEFAULT_CREDENTIALS.client_secret,
            "username": DEFAULT_CREDENTIALS.username,
            "password": DEFAULT_CREDENTIALS.password,
        }
    )


@pytest.fixture(scope="module")
def cmd_app() -> Any:
    return create_app(Store(":memory:"), records=60, seed=3)


async def open_cmd(app: Any, mode: str = "write") -> Session:
    return await open_session(cmd_profile(mode), transport=in_process_transport(app))


@pytest.fixture
async def session(cmd_app: Any) -> AsyncIterator[Session]:
    s = await open_cmd(cmd_app)
    yield s
    await s.aclose()


def test_rest_target_splits_path_and_query() -> None:
    request = console.build_request("cmdatamanager", "get", "/lead?per_page=5&page=2")
    assert (request.method, request.path) == ("GET", "/lead")
    assert request.query == {"per_page": "5", "page": "2"}


def test_rpc_method_takes_params_json() -> None:
    request = console.build_request("sharpspring", "getLeads", '{"where": {}, "limit": 5}')
    assert request.method == "getLeads"
    assert request.body == {"where": {}, "limit": 5}
    assert console.build_request("sharpspring", "getFields").body == {}


def test_form_vendor_takes_fields() -> None:
    request = console.build_request("influencersoft", "addupdatelead", form=["lead_email=a@b.c"])
    assert (request.method, request.form) == ("addupdatelead", {"lead_email": "a@b.c"})
    assert console.build_request("influencersoft", "POST", "GetAllGroups").method == "GetAllGroups"


def test_leadsquared_async_host() -> None:
    request = console.build_request("leadsquared", "POST", "/opportunity/capture", host="async")
    assert request.host == "async"
    with pytest.raises(UsageError, match="no host"):
        console.build_request("cmdatamanager", "GET", "/lead", host="async")


@pytest.mark.parametrize(
    ("vendor", "method", "target", "body", "message"),
    [
        ("cmdatamanager", "FETCH", "/lead", None, "not one of"),
        ("cmdatamanager", "GET", "", None, "path is needed"),
        ("cmdatamanager", "POST", "/lead", "{bad", "not valid JSON"),
        ("sharpspring", "getLeads", "[1]", None, "JSON object"),
        ("sharpspring", "get Leads", "", None, "not a method name"),
    ],
)
def test_bad_input_is_explained(
    vendor: str, method: str, target: str, body: str | None, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        console.build_request(vendor, method, target, body=body)


async def test_send_goes_through_the_session_budget_and_log(session: Session) -> None:
    before = session.log.count
    request = console.build_request("cmdatamanager", "GET", "/lead?per_page=3&page=1")
    response = await console.send(session, request)
    assert response.status == 200
    assert len(json.loads(response.body)["Entity"]) == 3
    assert session.log.count > before
    assert session.log.last is not None and "/lead" in session.log.last.url
    assert "x-rate-limit-remaining" in response.rate_headers
    assert response.shown_headers["authorization"] == "***"
    assert session.budget().calls >= 1


async def test_read_only_refuses_a_write_and_sends_nothing(cmd_app: Any) -> None:
    session = await open_cmd(cmd_app, "read-only")
    try:
        request = console.build_request("cmdatamanager", "DELETE", "/lead/1")
        assert console.verdict(session, request).refused
        with pytest.raises(UsageError, match="read-only"):
            await console.send(session, request)
        assert session.log.count == 0
        read = console.build_request("cmdatamanager", "GET", "/lead?per_page=1&page=1")
        assert (await console.send(session, read)).status == 200
    finally:
        await session.aclose()


async def test_confirm_writes_asks_first(cmd_app: Any) -> None:
    session = await open_cmd(cmd_app, "confirm-writes")
    try:
        request = console.build_request(
            "cmdatamanager", "POST", "/lead", body='{"LastName": "Console", "Company": "C"}'
        )
        with pytest.raises(ConfirmationNeeded):
            await console.send(session, request)
        assert session.log.count == 0
        response = await console.send(session, request, confirmed=True)
        assert response.status == 201, response.body
    finally:
        await session.aclose()


def test_pretty_body_indents_json_and_leaves_text() -> None:
    assert console.pretty_body('{"a":[1]}') == '{\n  "a": [\n    1\n  ]\n}'
    assert console.pretty_body("<html>") == "<html>"


def test_request_round_trips_through_a_dict() -> None:
    request = console.build_request("cmdatamanager", "PUT", "/lead/7?x=1", body='{"A": 1}')
    assert console.request_from_dict(console.request_to_dict(request)) == request
