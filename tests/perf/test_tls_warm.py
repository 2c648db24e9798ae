"""The CA bundle loads in a thread while the UI is imported; the session's client then uses it."""

from __future__ import annotations

import asyncio
import ssl

import httpx
import pytest

from crmtui.backends import registry
from crmtui.services import session as sessions

PROFILE = {
    "name": "work",
    "vendor": "cmdatamanager",
    "base_url": "https://crm.example.test",
    "client_id": "id",
    "client_secret": "secret",
    "username": "u@example.test",
    "password": "pw",
}


def _no_second_context(verify: object = True, **kwargs: object) -> ssl.SSLContext:
    if isinstance(verify, ssl.SSLContext):  # httpx passes a given context through
        return verify
    raise AssertionError("the CA bundle was loaded again, on the event loop")


def test_a_session_uses_the_context_built_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sessions, "_tls", None)
    sessions.warm_tls()
    assert sessions._tls is not None
    assert isinstance(sessions._tls.result(timeout=30), ssl.SSLContext)
    monkeypatch.setattr(httpx, "create_ssl_context", _no_second_context)
    monkeypatch.setattr("httpx._transports.default.create_ssl_context", _no_second_context)
    profile = registry.profile_class("cmdatamanager").model_validate(PROFILE)

    async def opened() -> None:
        session = await sessions.open_session(profile)
        await session.aclose()

    asyncio.run(opened())


def test_without_warming_httpx_builds_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sessions, "_tls", None)
    monkeypatch.setattr("httpx._transports.default.create_ssl_context", _no_second_context)
    profile = registry.profile_class("cmdatamanager").model_validate(PROFILE)
    with pytest.raises(AssertionError, match="loaded again"):
        asyncio.run(sessions.open_session(profile))


def test_a_plain_http_sandbox_profile_loads_no_ca_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    # `crmtui sandbox serve` on loopback: no certificate is ever checked, so none is loaded
    monkeypatch.setattr(sessions, "_tls", None)
    monkeypatch.setattr("httpx._transports.default.create_ssl_context", _no_second_context)
    given: list[object] = []
    real_client = httpx.AsyncClient

    def client(**kwargs: object) -> httpx.AsyncClient:
        given.append(kwargs["verify"])
        return real_client(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx, "AsyncClient", client)
    local = dict(PROFILE, base_url="http://127.0.0.1:8765")
    profile = registry.profile_class("cmdatamanager").model_validate(local)

    async def opened() -> None:
        session = await sessions.open_session(profile)
        await session.aclose()

    asyncio.run(opened())
    (context,) = given
    assert isinstance(context, ssl.SSLContext)
    # an https URL reached through it all the same would fail its check, never go unchecked
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
