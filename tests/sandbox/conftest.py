"""Fixtures for the sandbox tests: a small seeded store, a fake clock, an in-process client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from crmtui.sandbox.cmdatamanager.app import DEFAULT_CREDENTIALS, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport

START = 1_800_000_000.0  # a whole hour: 1_800_000_000 % 3600 == 0
CRED_HEADERS = {
    "client_id": DEFAULT_CREDENTIALS.client_id,
    "client_secret": DEFAULT_CREDENTIALS.client_secret,
    "username": DEFAULT_CREDENTIALS.username,
    "password": DEFAULT_CREDENTIALS.password,
}


class FakeClock:
    """A clock the tests move by hand."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def app(store: Store, clock: FakeClock) -> Starlette:
    return create_app(store, records=300, seed=7, clock=clock, hourly_limit=1000)


@pytest.fixture
async def anon(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client with no token."""
    transport = in_process_transport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox/api/v1") as c:
        yield c


@pytest.fixture
async def client(anon: httpx.AsyncClient) -> httpx.AsyncClient:
    """A client holding a valid bearer token."""
    response = await anon.post("/authenticate", headers=CRED_HEADERS)
    assert response.status_code == 200
    anon.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return anon
