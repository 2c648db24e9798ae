"""LeadSquared reads its access, secret and async API keys as every backend reads a credential
(`Backend._credential`): from the profile's secret store, else from the profile file itself; a
key whose secret reference was never resolved is an auth error, and nothing is sent unsigned."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import httpx
import pytest

from crmtui.backends.leadsquared.backend import LeadSquaredBackend
from crmtui.backends.leadsquared.capture import CaptureRequest
from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.errors import AuthError
from crmtui.model import Query
from crmtui.model.raw import RawRequest
from crmtui.profiles.loader import get_profile, load_config
from crmtui.sandbox.leadsquared.app import DEFAULT_KEYS, create_app
from crmtui.sandbox.store import Store

from .spied import spied_client, vendor_http

BASE = "https://lsq.invalid"
UNSET = "CRMTUI_TEST_NO_SUCH_VAR"
SANDBOX_SECRETS = (DEFAULT_KEYS.access_key, DEFAULT_KEYS.secret_key, DEFAULT_KEYS.api_key)


def profile_file(tmp_path: Path, **keys: str) -> LeadSquaredProfile:
    """The profile a user writes in their profile file (TOML values given as written), read
    back the way crmtui reads it."""
    lines = [
        "[profiles.lsq-file]",
        'vendor = "leadsquared"',
        f'base_url = "{BASE}"',
        'mode = "write"',
        f'async_base_url = "{BASE}/async"',
        *(f"{key} = {value}" for key, value in keys.items()),
    ]
    path = tmp_path / "profiles.toml"
    path.write_text("\n".join(lines) + "\n")
    os.chmod(path, 0o600)
    profile = get_profile(load_config(path))
    assert isinstance(profile, LeadSquaredProfile)
    return profile


def inline(**overrides: str) -> dict[str, str]:
    """The sandbox's three keys written inline (as TOML strings), some replaced."""
    keys = {
        "access_key": DEFAULT_KEYS.access_key,
        "secret_key": DEFAULT_KEYS.secret_key,
        "api_key": DEFAULT_KEYS.api_key,
        **overrides,
    }
    return {k: v if v.startswith("{") else f'"{v}"' for k, v in keys.items()}


@pytest.fixture
async def sent() -> AsyncIterator[tuple[list[httpx.Request], httpx.AsyncClient]]:
    """A client over the LeadSquared sandbox that keeps every request it sends."""
    async with spied_client(create_app(Store(), records=5, seed=3)) as sent:
        yield sent


def build(
    profile: LeadSquaredProfile, client: httpx.AsyncClient, secrets: Mapping[str, str]
) -> LeadSquaredBackend:
    return LeadSquaredBackend(profile, secrets, vendor_http(client, "leadsquared"))


def query_of(request: httpx.Request) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(request.url.query.decode()))


async def test_keys_written_inline_in_the_profile_file_reach_the_sandbox(
    tmp_path: Path, sent: tuple[list[httpx.Request], httpx.AsyncClient]
) -> None:
    requests, client = sent
    backend = build(profile_file(tmp_path, **inline()), client, secrets={})
    page = await backend.list_page("lead", Query(), 0, 3)
    assert page.total == 5 and len(page.records) == 3
    keys = query_of(requests[-1])
    assert (keys["accessKey"], keys["secretKey"]) == (
        DEFAULT_KEYS.access_key,
        DEFAULT_KEYS.secret_key,
    )
    result = await backend.capture_opportunity(
        CaptureRequest("file.keys@example.com", 12231), asynchronous=True
    )
    assert result.asynchronous and result.request_id
    assert requests[-1].headers["x-api-key"] == DEFAULT_KEYS.api_key
    answer = await backend.raw(RawRequest("GET", "LeadManagement.svc/LeadsMetaData.Get"))
    assert answer.status == 200  # the console's calls carry the file's keys too


async def test_the_secret_store_wins_over_the_profile_file(
    tmp_path: Path, sent: tuple[list[httpx.Request], httpx.AsyncClient]
) -> None:
    requests, client = sent
    stale = profile_file(tmp_path, **inline(secret_key="stale-file-secret"))
    backend = build(stale, client, secrets={"secret_key": DEFAULT_KEYS.secret_key})
    assert (await backend.list_page("lead", Query(), 0, 2)).records
    assert query_of(requests[-1])["secretKey"] == DEFAULT_KEYS.secret_key


@pytest.mark.parametrize("key", ["access_key", "secret_key"])
async def test_a_key_never_resolved_is_an_auth_error_naming_it_and_nothing_is_sent(
    tmp_path: Path, sent: tuple[list[httpx.Request], httpx.AsyncClient], key: str
) -> None:
    requests, client = sent
    unresolved = profile_file(tmp_path, **inline(**{key: f'{{ env = "{UNSET}" }}'}))
    backend = build(unresolved, client, secrets={})
    with pytest.raises(
        AuthError,
        match=f"profile 'lsq-file' has no {key} \\(its secret reference was never resolved\\)",
    ) as caught:
        await backend.list_page("lead", Query(), 0, 3)
    with pytest.raises(AuthError, match=f"has no {key}"):
        await backend.raw(RawRequest("GET", "LeadManagement.svc/LeadsMetaData.Get"))
    assert requests == []  # never sent without the key
    shown = str(caught.value)
    assert all(secret not in shown for secret in SANDBOX_SECRETS)


async def test_an_async_api_key_never_resolved_is_an_auth_error_before_any_capture(
    tmp_path: Path, sent: tuple[list[httpx.Request], httpx.AsyncClient]
) -> None:
    requests, client = sent
    unresolved = profile_file(tmp_path, **inline(api_key=f'{{ env = "{UNSET}" }}'))
    backend = build(unresolved, client, secrets={})
    with pytest.raises(
        AuthError,
        match=r"has no api_key \(its secret reference was never resolved\); the async API needs it",
    ) as caught:
        await backend.capture_opportunity(
            CaptureRequest("no.key@example.com", 12231), asynchronous=True
        )
    assert requests == []
    assert all(secret not in str(caught.value) for secret in SANDBOX_SECRETS)
