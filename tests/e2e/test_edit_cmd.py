"""`crmtui edit/open lead EMAIL|ID` on the demo: finding the record, the form, the browser."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pytest

from crmtui.cli.context import session_from_args
from crmtui.cli.edit_cmd import find_record
from crmtui.errors import NotFound, UsageError
from crmtui.model import Change, Query, Record
from crmtui.services.session import Session
from crmtui.ui.app import CrmApp, StartAt
from crmtui.ui.launch import build_app
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.screens.main import MainScreen

from .conftest import Lead, demo_leads


def _args(**given: object) -> argparse.Namespace:
    values = {"profile": None, "config": None, "demo": True, "reset": False, "low_bandwidth": False}
    return argparse.Namespace(**{**values, **given})


@pytest.fixture
def demo_env(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeded demo as this process's data dir."""
    monkeypatch.setenv("CRMTUI_DATA_DIR", str(demo_dir))
    return demo_dir


async def test_find_by_id_and_by_email_scanning_pages(demo_env: Path, new_lead: Lead) -> None:
    async with session_from_args(_args()) as session:  # CMDataManager: no server-side search
        assert not (await session.backend.entity("lead")).search_fields
        assert (await find_record(session, "lead", new_lead.id)).id == new_lead.id
        found = await find_record(session, "lead", new_lead.email.upper())
        assert found.id == new_lead.id
        with pytest.raises(NotFound, match="no Leads with email"):
            await find_record(session, "lead", "nobody@nowhere.invalid")


async def test_find_by_email_searches_on_the_server_where_it_can(demo_env: Path) -> None:
    async with session_from_args(_args(profile="demo-leadsquared")) as session:
        entity = await session.backend.entity("lead")
        assert entity.search_fields
        page = await session.backend.list_page("lead", Query(), 0, 5)
        wanted = next(r for r in page.records if r.values.get("EmailAddress"))
        before = session.log.count
        found = await find_record(session, "lead", str(wanted.values["EmailAddress"]))
        assert found.id == wanted.id
        assert session.log.count - before <= 3  # a search, not a scan of 10,000 leads


async def test_two_leads_with_one_email_ask_for_the_id(demo_env: Path) -> None:
    async with session_from_args(_args()) as session:
        first, second = demo_leads(demo_env, 2)
        await session.backend.update(
            "lead", second.id, [Change("Email", second.email, first.email)]
        )
        with pytest.raises(UsageError, match="give the id"):
            await find_record(session, "lead", first.email)


async def _wait(pilot: object, done: object, what: str) -> None:
    deadline = time.monotonic() + 30
    while not done():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        await pilot.pause(0.1)  # type: ignore[attr-defined]


def _start(entity: str, key: str, edit: bool) -> StartAt:
    async def find(session: Session) -> Record:
        return await find_record(session, entity, key)

    return StartAt(entity, find, edit=edit)


async def test_edit_opens_the_form_and_leaving_it_exits(demo_env: Path, new_lead: Lead) -> None:
    app, cleanup = build_app(_args(), start=_start("lead", new_lead.email, True))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await _wait(pilot, lambda: isinstance(app.screen, EditScreen), "no edit form")
            screen = app.screen
            assert isinstance(screen, EditScreen) and screen.record is not None
            assert screen.record.id == new_lead.id
            assert not any(isinstance(s, MainScreen) for s in app.screen_stack)
            await pilot.press("escape")
            await _wait(pilot, lambda: app.return_code is not None, "did not exit")
    finally:
        cleanup()
    assert app.return_code == 1  # nothing was saved


async def test_open_shows_the_record_in_the_browser(demo_env: Path) -> None:
    lead = demo_leads(demo_env, 12)[-1]
    app, cleanup = build_app(_args(low_bandwidth=True), start=_start("lead", lead.id, False))
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await _wait(pilot, lambda: _current_id(app) == lead.id, "cursor not on the record")
            assert app.animation_level == "none"  # --low-bandwidth
    finally:
        cleanup()


def _current_id(app: CrmApp) -> str | None:
    main = app.main_screen
    if main is None or main.entity is None:
        return None
    record = main.records.current
    return record.id if record is not None else None


async def test_unknown_email_exits_with_not_found(demo_env: Path) -> None:
    app, cleanup = build_app(_args(), start=_start("lead", "nobody@nowhere.invalid", True))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await _wait(pilot, lambda: app.return_code is not None, "did not exit")
    finally:
        cleanup()
    assert app.return_code == NotFound.exit_code
