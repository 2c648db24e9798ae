"""The Outbox screen lists what is not applied; a conflict is settled per field on its screen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from textual.app import App

from crmtui.backends.cmdatamanager.profile import CMDataManagerProfile
from crmtui.errors import CrmError
from crmtui.model import Change, Query
from crmtui.sandbox.cmdatamanager.app import CMD_NS, DEFAULT_CREDENTIALS, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services import edits
from crmtui.services.journal import Journal
from crmtui.services.session import Session, open_session
from crmtui.ui.screens.conflict import ConflictScreen
from crmtui.ui.screens.outbox import OutboxScreen


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


@pytest.fixture
async def session(store: Store) -> AsyncIterator[Session]:
    creds = DEFAULT_CREDENTIALS
    profile = CMDataManagerProfile.model_validate(
        {
            "name": "outbox-ui",
            "vendor": "cmdatamanager",
            "base_url": "https://cmd.invalid",
            "mode": "write",
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
            "username": creds.username,
            "password": creds.password,
        }
    )
    app = create_app(store, records=20, seed=1)
    s = await open_session(profile, transport=in_process_transport(app))
    yield s
    await s.aclose()


async def make_conflict(session: Session, store: Store, mine: str = "Mine") -> str:
    lead = (await session.backend.list_page("lead", Query(), 0, 1)).records[0]
    store.update(CMD_NS, "lead", lead.id, {"FirstName": "Theirs[/b] \x1b]0;x\x07"})
    with pytest.raises(CrmError):
        await edits.save_changes(
            session, "lead", lead.id, [Change("FirstName", lead.values["FirstName"], mine)]
        )
    return lead.id


class Host(App[None]):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        self.push_screen(OutboxScreen(self.session))


async def test_a_conflict_is_listed_and_settled_with_mine(session: Session, store: Store) -> None:
    lead_id = await make_conflict(session, store)
    app = Host(session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OutboxScreen) and len(screen.entries) == 1
        assert screen.entries[0].shown_state == "conflict"
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        shown = " ".join(str(label.render()) for label in app.screen.query("RadioButton"))
        assert "Theirs[/b]" in shown and "\x1b" not in shown  # vendor text shown literally
        await pilot.press("m")
        await pilot.click("#apply")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, OutboxScreen) and app.screen.entries == []
    assert store.get(CMD_NS, "lead", lead_id)["FirstName"] == "Mine"  # type: ignore[index]


async def test_discarding_leaves_theirs_on_the_server(session: Session, store: Store) -> None:
    lead_id = await make_conflict(session, store)
    app = Host(session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")  # asks first
        await pilot.pause()
        assert isinstance(app.screen, OutboxScreen) is False
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, OutboxScreen) and app.screen.entries == []
    assert Journal("outbox-ui").pending() == []
    data: dict[str, Any] | None = store.get(CMD_NS, "lead", lead_id)
    assert data is not None and data["FirstName"].startswith("Theirs")
