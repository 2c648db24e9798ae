"""A CMDataManager sandbox in-process and a session on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from crmtui.backends.cmdatamanager.profile import CMDataManagerProfile
from crmtui.sandbox.cmdatamanager.app import DEFAULT_CREDENTIALS, create_app
from crmtui.sandbox.faults import Faults
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import Session, open_session

SECRET = "cmd-SECRET-7f3a9c-canary"


def make_profile(**overrides: Any) -> CMDataManagerProfile:
    values: dict[str, Any] = {
        "name": "test",
        "vendor": "cmdatamanager",
        "base_url": "https://cmd.invalid",
        "mode": "write",
        "client_id": DEFAULT_CREDENTIALS.client_id,
        "client_secret": DEFAULT_CREDENTIALS.client_secret,
        "username": DEFAULT_CREDENTIALS.username,
        "password": DEFAULT_CREDENTIALS.password,
        "custom_entities": ["membership"],
    }
    values.update(overrides)
    return CMDataManagerProfile.model_validate(values)


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
def app(store: Store, faults: Faults) -> Any:
    return create_app(store, records=300, seed=7, faults=faults)


@pytest.fixture
async def session(app: Any) -> AsyncIterator[Session]:
    s = await open_session(make_profile(), transport=in_process_transport(app))
    yield s
    await s.aclose()
