"""The write policy in the app, on the demo: read-only refuses, confirm-writes asks, write saves.

Driven by keys through Pilot; what reached the vendor is read back from the demo's store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList

from crmtui.model import Change, Validator
from crmtui.profiles.model import LeadSquaredProfile
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.sandbox.leadsquared.app import create_app, sandbox_profile
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.demo import Demo, open_demo
from crmtui.services.journal import Journal, Op, change_dicts
from crmtui.services.session import Session, open_session
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.capture import CaptureScreen
from crmtui.ui.screens.dialogs import ConfirmScreen, DeleteScreen
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.screens.outbox import OutboxScreen

PROFILE = "demo-cmdatamanager"
SIZE = (120, 40)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=60)
    yield demo
    demo.close()


def make(demo: Demo, mode: str) -> CrmApp:
    profile = demo.config.profiles[PROFILE]
    demo.config.profiles[PROFILE] = profile.model_copy(update={"mode": mode})
    return app_for_config(
        demo.config, PROFILE, memory_prefs(), dict(demo.transports), entity="lead"
    )


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def current(app: App[Any]) -> object:
    """The top screen, re-read (mypy would keep an earlier isinstance narrowing)."""
    return app.screen


def notified(app: CrmApp) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def edit_job_title(pilot: Pilot[Any], value: str) -> tuple[EditScreen, str]:
    """Open the edit form on the current lead and type `value` into JobTitle."""
    await pilot.press("e")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EditScreen) and screen.record is not None
    form_field = screen.form_field("JobTitle")
    assert form_field is not None and isinstance(form_field.editor, Input)
    form_field.editor.focus()
    form_field.editor.value = ""
    await pilot.press(*value)
    await pilot.pause()
    return screen, screen.record.id


def job_title(demo: Demo, record_id: str) -> Any:
    stored = demo.stores[PROFILE].get(CMD_NS, "lead", record_id)
    assert stored is not None
    return stored.get("JobTitle")


async def test_read_only_refuses_the_edit_and_the_delete(demo: Demo) -> None:
    app = make(demo, "read-only")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, record_id = await edit_job_title(pilot, "Refused")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert current(app) is screen  # no dialog, nothing sent
        assert "read-only" in notified(app) and "cannot save changes" in notified(app)
        assert job_title(demo, record_id) != "Refused"
        screen.dismiss(None)
        await settle(pilot, 1)
        await pilot.press("d")
        await settle(pilot, 1)
        assert not isinstance(current(app), DeleteScreen)
        assert "cannot delete records" in notified(app)


async def test_confirm_writes_asks_and_yes_saves_with_one_validation(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[dict[str, Any]] = []
    real = Validator.run

    def counted(self: Validator, values: Any, creating: bool) -> dict[str, Any]:
        runs.append(dict(values))
        return real(self, values, creating)

    app = make(demo, "confirm-writes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, record_id = await edit_job_title(pilot, "Asked")
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert isinstance(current(app), ConfirmScreen)
        await pilot.press("n")
        await settle(pilot, 1)
        assert current(app) is screen and job_title(demo, record_id) != "Asked"
        monkeypatch.setattr(Validator, "run", counted)
        await pilot.press("ctrl+s")
        await settle(pilot, 1)
        assert isinstance(current(app), ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(current(app), EditScreen | ConfirmScreen)
        assert job_title(demo, record_id) == "Asked"
        assert runs == [{"JobTitle": "Asked"}]  # the form's check; nobody checks it again


async def test_write_saves_without_asking(demo: Demo) -> None:
    app = make(demo, "write")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _, record_id = await edit_job_title(pilot, "Straight")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(current(app), EditScreen | ConfirmScreen)
        assert job_title(demo, record_id) == "Straight"


@pytest.mark.parametrize("mode", ["read-only", "confirm-writes", "write"])
async def test_an_outbox_retry_follows_the_mode(demo: Demo, mode: str) -> None:
    rid, data = demo.stores[PROFILE].list(CMD_NS, "lead", offset=3, limit=1)[0]
    change = Change("JobTitle", data.get("JobTitle"), "Retried")
    Journal(PROFILE, "cmdatamanager").new(
        Op.UPDATE, "lead", record_id=rid, changes=change_dicts([change])
    )
    app = make(demo, mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session is not None
        app.push_screen(OutboxScreen(app.session))
        await settle(pilot, 1)
        assert isinstance(current(app), OutboxScreen)
        app.screen.query_one(OptionList).focus()
        await pilot.press("r")
        await settle(pilot)
        if mode == "read-only":
            assert not isinstance(current(app), ConfirmScreen)
            assert "cannot send pending writes again" in notified(app)
            assert job_title(demo, rid) != "Retried"
            return
        if mode == "confirm-writes":
            assert isinstance(current(app), ConfirmScreen)
            assert job_title(demo, rid) != "Retried"
            await pilot.press("y")
            await settle(pilot)
        assert job_title(demo, rid) == "Retried"


class CaptureHost(App[None]):
    """Opens the capture form on its own, as the lead's view would."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.outcome: Any = "not yet"

    def compose(self) -> ComposeResult:
        yield Label("host")

    def on_mount(self) -> None:
        self.push_screen(CaptureScreen(self.session, "policy.buyer@example.com"), self.captured)

    def captured(self, outcome: Any) -> None:
        self.outcome = outcome


@pytest.mark.parametrize("mode", ["read-only", "confirm-writes", "write"])
async def test_a_capture_follows_the_mode(mode: str) -> None:
    base = "https://lsq.invalid"
    store = Store()
    profile = LeadSquaredProfile.model_validate(
        {"name": "lsq-policy", "vendor": "leadsquared", "base_url": base, "mode": mode,
         **sandbox_profile(base)}
    )  # fmt: skip
    session = await open_session(
        profile, transport=in_process_transport(create_app(store, records=10, seed=2))
    )
    app = CaptureHost(session)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, 1)
            app.screen.query_one("#capture-event", Input).value = "12231"
            await pilot.click("#capture-submit")
            await settle(pilot, 1)
            if mode == "read-only":
                assert isinstance(current(app), CaptureScreen)
                assert "cannot capture activities" in str(
                    app.screen.query_one("#capture-error", Label).render()
                )
                assert app.outcome == "not yet"
                return
            if mode == "confirm-writes":
                assert isinstance(current(app), ConfirmScreen) and app.outcome == "not yet"
                await pilot.press("y")
            for _ in range(100):
                await settle(pilot, 1)
                if app.outcome != "not yet":
                    break
            result, _job = app.outcome
            assert result.opportunity_id or result.request_id  # the vendor took it
    finally:
        await session.aclose()
