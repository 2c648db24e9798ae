"""Pilot: capture an opportunity asynchronously, then watch the job turn to Success."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Label, Static, Switch

from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.sandbox.leadsquared.app import create_app, sandbox_profile
from crmtui.sandbox.leadsquared.async_api import Switches
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.jobs import JobsFile
from crmtui.services.session import Session, open_session
from crmtui.ui.screens.capture import CaptureScreen
from crmtui.ui.screens.jobs import JobsScreen

BASE = "https://lsq.invalid"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class Harness(App[None]):
    """Opens the capture form, then the Jobs view, as the lead's app would."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.outcome: Any = "not yet"

    def compose(self) -> ComposeResult:
        yield Label("harness")

    def on_mount(self) -> None:
        self.push_screen(CaptureScreen(self.session, "pilot.buyer@example.com"), self.captured)

    def captured(self, outcome: Any) -> None:
        self.outcome = outcome
        self.push_screen(JobsScreen(self.session, interval=0.05))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def switches() -> Switches:
    return Switches()


@pytest.fixture
async def session(clock: Clock, switches: Switches) -> AsyncIterator[Session]:
    app = create_app(Store(), records=30, seed=2, clock=clock, switches=switches)
    profile = LeadSquaredProfile.model_validate(
        {"name": "lsq-ui", "vendor": "leadsquared", "base_url": BASE, "mode": "write",
         **sandbox_profile(BASE)}
    )  # fmt: skip
    s = await open_session(profile, transport=in_process_transport(app))
    yield s
    await s.aclose()


async def wait_for(pilot: Any, condition: Any, tries: int = 100) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never held")


def outcomes(app: App[None]) -> list[str]:
    table = app.screen.query_one("#jobs-table", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def test_async_capture_turns_to_success(session: Session, clock: Clock) -> None:
    app = Harness(session)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CaptureScreen)
        assert app.screen.query_one("#capture-async", Switch).value  # the profile says async
        app.screen.query_one("#capture-event", Input).value = "12231"
        app.screen.query_one("#capture-note", Input).value = "[b]demo[/b] booked"
        await pilot.click("#capture-submit")
        await wait_for(pilot, lambda: isinstance(app.screen, JobsScreen))
        result, job = app.outcome
        assert result.asynchronous and job is not None
        await wait_for(pilot, lambda: outcomes(app) == ["pending"])
        clock.now += 5  # the sandbox's queue moves on; the poller notices
        await wait_for(pilot, lambda: outcomes(app) == ["succeeded"])
        detail = str(app.screen.query_one("#job-detail", Static).render())
        assert "RelatedProspectId" in detail and "[b]demo[/b] booked" in detail
    assert JobsFile().load()[0].status == "succeeded"


async def test_mx_failure_is_shown_as_final(
    session: Session, clock: Clock, switches: Switches
) -> None:
    app = Harness(session)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one("#capture-event", Input).value = "999"
        await pilot.click("#capture-submit")
        await wait_for(pilot, lambda: isinstance(app.screen, JobsScreen))
        clock.now += 5
        await wait_for(pilot, lambda: outcomes(app) == ["failed"])
        detail = str(app.screen.query_one("#job-detail", Static).render())
        assert "MXInvalidInputException" in detail and "will not try again" in detail


async def test_form_errors_are_shown_and_nothing_is_sent(session: Session) -> None:
    app = Harness(session)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one("#capture-date", Input).value = "next tuesday"
        await pilot.click("#capture-submit")
        await pilot.pause()
        error = str(app.screen.query_one("#capture-error", Label).render())
        assert "Event code" in error and "Date" in error
        assert isinstance(app.screen, CaptureScreen)
    assert JobsFile().load() == []
    assert len(session.log.entries) == 0
