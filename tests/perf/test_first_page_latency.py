"""The first page of a fresh session costs one round trip more than the sign-in, not one per
metadata call: the page, the fields and the reference names travel at once."""

from __future__ import annotations

import time

from crmtui.backends.cmdatamanager.profile import CMDataManagerProfile
from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.model import Query
from crmtui.sandbox.cmdatamanager.app import DEFAULT_CREDENTIALS
from crmtui.sandbox.cmdatamanager.app import create_app as cmd_app
from crmtui.sandbox.faults import Faults
from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY
from crmtui.sandbox.sharpspring.app import create_app as ss_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import open_session

LATENCY = 0.3


async def test_sharpspring_first_page_and_its_fields_take_one_round_trip() -> None:
    app = ss_app(Store(":memory:"), records=300, seed=1, faults=Faults(latency=LATENCY))
    profile = SharpSpringProfile.model_validate(
        {"name": "ss", "vendor": "sharpspring", "base_url": "https://ss.invalid",
         "account_id": ACCOUNT_ID, "secret_key": SECRET_KEY}
    )  # fmt: skip
    session = await open_session(profile, transport=in_process_transport(app))
    try:
        started = time.monotonic()
        page = await session.backend.list_page("lead", Query(), 0, 100)
        took = time.monotonic() - started
        fields = {f.name: f for f in await session.backend.fields("lead")}
    finally:
        await session.aclose()
    assert len(page.records) == 100
    assert fields["ownerID"].choices  # the owners' names came with the fields
    # getLeads, getFields and four reference lists one after another took six round trips
    assert took < 2.5 * LATENCY, took


async def test_cmdatamanager_first_page_waits_for_the_sign_in_only() -> None:
    app = cmd_app(Store(":memory:"), records=300, seed=1, faults=Faults(latency=LATENCY))
    profile = CMDataManagerProfile.model_validate(
        {"name": "cmd", "vendor": "cmdatamanager", "base_url": "https://cmd.invalid",
         "client_id": DEFAULT_CREDENTIALS.client_id,
         "client_secret": DEFAULT_CREDENTIALS.client_secret,
         "username": DEFAULT_CREDENTIALS.username, "password": DEFAULT_CREDENTIALS.password}
    )  # fmt: skip
    session = await open_session(profile, transport=in_process_transport(app))
    try:
        started = time.monotonic()
        page = await session.backend.list_page("lead", Query(), 0, 100)
        took = time.monotonic() - started
    finally:
        await session.aclose()
    assert len(page.records) == 100
    # sign-in, then the page and the fields at once: two round trips (it was three)
    assert took < 2.6 * LATENCY, took


async def test_a_refused_first_page_raises_the_vendors_error_as_itself() -> None:
    import pytest

    from crmtui.errors import AuthError

    app = ss_app(Store(":memory:"), records=50, seed=1)
    profile = SharpSpringProfile.model_validate(
        {"name": "ss", "vendor": "sharpspring", "base_url": "https://ss.invalid",
         "account_id": ACCOUNT_ID, "secret_key": "wrong"}
    )  # fmt: skip
    session = await open_session(profile, transport=in_process_transport(app))
    try:
        with pytest.raises(AuthError):
            await session.backend.list_page("lead", Query(), 0, 100)
    finally:
        await session.aclose()


async def test_list_keeps_enough_pages_in_flight_to_fill_the_window() -> None:
    from crmtui.services.paging import in_flight

    ss = ss_app(Store(":memory:"), records=20, seed=1)
    profile = SharpSpringProfile.model_validate(
        {"name": "ss", "vendor": "sharpspring", "base_url": "https://ss.invalid",
         "account_id": ACCOUNT_ID, "secret_key": SECRET_KEY}
    )  # fmt: skip
    session = await open_session(profile, transport=in_process_transport(ss))
    try:
        assert in_flight(session.backend) == 10  # 10 a second, answers within a second
    finally:
        await session.aclose()
