"""InfluencerSoft reads its RPS key and API 1.0 secret as every backend reads a credential
(`Backend._credential`): from the profile's secret store, else from the profile file itself."""

from __future__ import annotations

import urllib.parse
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import pytest

from crmtui.backends.influencersoft.backend import InfluencerSoftBackend
from crmtui.backends.influencersoft.profile import InfluencerSoftProfile
from crmtui.errors import AuthError
from crmtui.model.raw import RawRequest
from crmtui.sandbox.influencersoft.app import DEFAULT_RPS_KEY, NS, create_app
from crmtui.sandbox.store import Store

from .spied import spied_client, vendor_http
from .test_influencersoft_truth import make_profile as truth_profile


def make_profile(**overrides: Any) -> InfluencerSoftProfile:
    return truth_profile(**{"name": "is-creds", **overrides})


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


@pytest.fixture
async def sent(store: Store) -> AsyncIterator[tuple[list[httpx.Request], httpx.AsyncClient]]:
    """A client over the sandbox that keeps every request it sends."""
    async with spied_client(create_app(store, records=5, seed=3)) as sent:
        yield sent


def build(
    profile: InfluencerSoftProfile, client: httpx.AsyncClient, secrets: Mapping[str, str]
) -> InfluencerSoftBackend:
    return InfluencerSoftBackend(profile, secrets, vendor_http(client, "influencersoft"))


def form_of(request: httpx.Request) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(request.content.decode()))


async def test_the_rps_key_is_read_from_the_profile_file_when_the_store_has_none(
    sent: tuple[list[httpx.Request], httpx.AsyncClient], store: Store
) -> None:
    requests, client = sent
    backend = build(make_profile(), client, secrets={})
    record = await backend.upsert({"lead_email": "file.key@example.org"})
    assert record.id == "file.key@example.org"
    assert store.get(NS, "lead", "file.key@example.org") is not None
    assert form_of(requests[-1])["rpsKey"] == DEFAULT_RPS_KEY


async def test_the_api_secret_in_the_profile_file_signs_the_calls(
    sent: tuple[list[httpx.Request], httpx.AsyncClient], store: Store
) -> None:
    requests, client = sent
    signed = build(make_profile(api_secret=DEFAULT_RPS_KEY), client, secrets={})
    await signed.upsert({"lead_email": "signed.file@example.org"})
    form = form_of(requests[-1])
    assert "hash" in form and "rpsKey" not in form
    assert store.get(NS, "lead", "signed.file@example.org") is not None
    answer = await signed.raw(RawRequest("getallgroups"))  # the console shows how it was sent
    assert '"hash": "***"' in answer.shown_body and "rpsKey" not in answer.shown_body
    wrong = build(make_profile(api_secret="not-the-secret"), client, secrets={})
    with pytest.raises(AuthError, match="incorrect hash"):  # the file's secret is the one used
        await wrong.groups()


async def test_the_secret_store_wins_over_the_profile_file(
    sent: tuple[list[httpx.Request], httpx.AsyncClient],
) -> None:
    requests, client = sent
    backend = build(make_profile(rps_key="stale-file-key"), client, {"rps_key": DEFAULT_RPS_KEY})
    assert await backend.groups()
    assert form_of(requests[-1])["rpsKey"] == DEFAULT_RPS_KEY


async def test_a_key_never_resolved_is_an_auth_error_naming_it(
    sent: tuple[list[httpx.Request], httpx.AsyncClient],
) -> None:
    requests, client = sent
    unresolved = make_profile(rps_key={"env": "CRMTUI_TEST_NO_SUCH_VAR"})
    with pytest.raises(AuthError, match="has no rps_key"):
        await build(unresolved, client, secrets={}).groups()
    signing = make_profile(api_secret={"env": "CRMTUI_TEST_NO_SUCH_VAR"})
    with pytest.raises(AuthError, match="has no api_secret"):  # never sent unsigned instead
        await build(signing, client, secrets={"rps_key": DEFAULT_RPS_KEY}).groups()
    assert requests == []
