"""An in-process CMDataManager sandbox with live faults, and a write-mode session on it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from crmtui.backends.cmdatamanager.profile import CMDataManagerProfile
from crmtui.sandbox.cmdatamanager.app import CMD_NS, DEFAULT_CREDENTIALS, create_app
from crmtui.sandbox.faults import Faults
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import Session, open_session


def make_profile(**overrides: Any) -> CMDataManagerProfile:
    values: dict[str, Any] = {
        "name": "journal-test",
        "vendor": "cmdatamanager",
        "base_url": "https://cmd.invalid",
        "mode": "write",
        "client_id": DEFAULT_CREDENTIALS.client_id,
        "client_secret": DEFAULT_CREDENTIALS.client_secret,
        "username": DEFAULT_CREDENTIALS.username,
        "password": DEFAULT_CREDENTIALS.password,
    }
    values.update(overrides)
    return CMDataManagerProfile.model_validate(values)


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


@pytest.fixture
def faults() -> Faults:
    return Faults(seed=3)


@pytest.fixture
def app(store: Store, faults: Faults) -> Any:
    return create_app(store, records=60, seed=7, faults=faults)


async def open_on(app: Any, spy: Spy | None = None, **overrides: Any) -> Session:
    """A new session (as a restarted process would have) on the same sandbox, maybe spied on."""
    transport: httpx.AsyncBaseTransport = in_process_transport(app)
    if spy is not None:
        spy.inner = transport
        transport = spy
    return await open_session(make_profile(**overrides), transport=transport)


@pytest.fixture
async def session(app: Any) -> AsyncIterator[Session]:
    s = await open_on(app)
    yield s
    await s.aclose()


def server_lead(store: Store, record_id: str) -> dict[str, Any]:
    """The lead as the sandbox holds it (bypassing crmtui)."""
    data = store.get(CMD_NS, "lead", record_id)
    assert data is not None
    return data


def leads_with_email(store: Store, email: str) -> int:
    return sum(
        1
        for _, data in store.list(CMD_NS, "lead", offset=0, limit=100_000)
        if str(data.get("Email", "")).lower() == email.lower()
    )


class Spy(httpx.AsyncBaseTransport):
    """Wraps a transport: calls `seen` with each request; `drop` decides which answers are lost
    after the server processed the request (as a dropped connection would)."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport | None = None,
        seen: Callable[[httpx.Request], None] | None = None,
        drop: Callable[[httpx.Request], bool] | None = None,
    ) -> None:
        self.inner = inner
        self.seen = seen
        self.drop = drop
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.seen is not None:
            self.seen(request)
        assert self.inner is not None
        response = await self.inner.handle_async_request(request)
        if self.drop is not None and self.drop(request):
            await response.aread()
            raise httpx.RemoteProtocolError("peer closed connection", request=request)
        return response

    def writes(self) -> list[tuple[str, Any]]:
        """(method, JSON body) of every write request, in order."""
        return [
            (r.method, json.loads(r.content) if r.content else None)
            for r in self.requests
            if r.method in ("POST", "PUT", "DELETE") and not r.url.path.endswith("/authenticate")
        ]
