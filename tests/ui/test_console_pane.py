"""The console pane in a small harness app, against each vendor's in-process sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Static, TextArea

from crmtui.profiles.model import PROFILE_CLASSES
from crmtui.sandbox import vendors
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import Session, open_session
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.widgets.console import ConsolePane
from crmtui.ui.widgets.console_body import BodyView

from .helpers import screen_text, settle

# vendor -> (method, target, editor body, text the rendered answer holds)
CALLS = {
    "cmdatamanager": ("GET", "/lead?per_page=3&page=1", "", '"ExternalID"'),
    "sharpspring": ("getLeads", "", '{"where": {}, "limit": 3}', '"lead"'),
    "leadsquared": ("GET", "LeadManagement.svc/LeadsMetaData.Get", "", '"SchemaName"'),
    "influencersoft": ("GetAllGroups", "", "", '"rass_title"'),
}
_APPS: dict[str, Any] = {}


def sandbox_app(vendor: str) -> Any:
    if vendor not in _APPS:
        _APPS[vendor] = vendors.load(vendor).create_app(Store(":memory:"), records=40, seed=2)
    return _APPS[vendor]


async def open_vendor(vendor: str, mode: str = "write", name: str = "pane") -> Session:
    module = vendors.load(vendor)
    values = {"name": name, "vendor": vendor, "base_url": f"https://{vendor}.invalid"}
    profile = PROFILE_CLASSES[vendor].model_validate(
        {**values, "mode": mode, **module.sandbox_profile()}
    )
    return await open_session(profile, transport=in_process_transport(sandbox_app(vendor)))


class Harness(App[None]):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.copied: list[str] = []

    def compose(self) -> ComposeResult:
        yield ConsolePane(self.session)

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)
        super().copy_to_clipboard(text)


def secret_values(session: Session) -> list[str]:
    return [v for v in session.backend.secrets.values() if len(v) >= 4]


async def fill(app: Harness, vendor: str) -> None:
    method, target, body, _ = CALLS[vendor]
    pane = app.query_one(ConsolePane)
    if pane.shape.kind == "rest":
        pane.query_one("#console-method", Select).value = method
        pane.query_one("#console-target", Input).value = target
    else:
        pane.query_one("#console-name", Input).value = method
    pane.query_one("#console-body", TextArea).text = body


@pytest.mark.parametrize("vendor", vendors.names())
async def test_a_call_to_each_sandbox_renders_its_answer(vendor: str) -> None:
    session = await open_vendor(vendor)
    app = Harness(session)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await fill(app, vendor)
            await pilot.press("f5")
            await settle(pilot)
            pane = app.query_one(ConsolePane)
            assert CALLS[vendor][3] in pane.query_one(BodyView).text
            meta = str(pane.query_one("#console-meta", Static).content)
            assert "HTTP 200" in meta and " ms · " in meta and "bytes" in meta
            shown = screen_text(app)  # type: ignore[arg-type]
            assert "HTTP 200" in shown
            sent = str(pane.query_one("#console-sent", Static).content)
            assert sent.startswith("POST " if pane.shape.kind != "rest" else "GET ")
            for secret in secret_values(session):
                assert secret not in shown and secret not in sent
            assert session.log.count >= 1  # the same request log as the browser
    finally:
        await session.aclose()


async def test_rate_limit_headers_are_picked_out() -> None:
    session = await open_vendor("cmdatamanager")
    app = Harness(session)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await fill(app, "cmdatamanager")
            await pilot.press("f5")
            await settle(pilot)
            meta = str(app.query_one("#console-meta", Static).content)
            assert "x-rate-limit-remaining" in meta
    finally:
        await session.aclose()


async def test_read_only_refuses_a_write_and_sends_nothing() -> None:
    session = await open_vendor("cmdatamanager", "read-only")
    app = Harness(session)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            pane = app.query_one(ConsolePane)
            pane.query_one("#console-method", Select).value = "DELETE"
            pane.query_one("#console-target", Input).value = "/lead/ANY"
            await pilot.press("f5")
            await settle(pilot)
            assert "read-only" in str(pane.query_one("#console-meta", Static).content)
            assert session.log.count == 0
    finally:
        await session.aclose()


async def test_confirm_writes_asks_before_sending() -> None:
    session = await open_vendor("sharpspring", "confirm-writes")
    app = Harness(session)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            pane = app.query_one(ConsolePane)
            pane.query_one("#console-name", Input).value = "deleteLeads"
            pane.query_one("#console-body", TextArea).text = '{"objects": [{"id": "1"}]}'
            await pilot.press("f5")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert session.log.count == 0
            await pilot.press("escape")
            await settle(pilot)
            assert session.log.count == 0
    finally:
        await session.aclose()


async def test_history_survives_a_restart_and_up_recalls() -> None:
    session = await open_vendor("cmdatamanager", name="restart")
    try:
        async with Harness(session).run_test(size=(120, 40)) as pilot:
            await fill(pilot.app, "cmdatamanager")  # type: ignore[arg-type]
            await pilot.press("f5")
            await settle(pilot)
        app = Harness(session)
        async with app.run_test(size=(120, 40)) as pilot:
            target = app.query_one("#console-target", Input)
            assert target.value == ""
            target.focus()
            await pilot.press("up")
            assert target.value == "/lead?per_page=3&page=1"
    finally:
        await session.aclose()


async def test_save_under_a_name_and_reopen() -> None:
    session = await open_vendor("sharpspring", name="saving")
    app = Harness(session)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await fill(app, "sharpspring")
            await pilot.press("ctrl+s")
            await pilot.press(*"three", "enter")
            name_input = app.query_one("#console-name", Input)
            name_input.value = ""
            app.query_one("#console-body", TextArea).text = ""
            await pilot.press("ctrl+o")
            await pilot.press(*"three", "enter")
            assert name_input.value == "getLeads"
            assert json.loads(app.query_one("#console-body", TextArea).text)["limit"] == 3
    finally:
        await session.aclose()


async def test_copy_as_curl_holds_no_secret_and_copy_body() -> None:
    session = await open_vendor("leadsquared")
    app = Harness(session)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await fill(app, "leadsquared")
            await pilot.press("ctrl+n")
            await settle(pilot)
            curl = app.query_one(ConsolePane).last_curl
            assert curl and app.copied == [curl]
            assert '"$CRMTUI_SECRET_KEY"' in curl and '"$CRMTUI_ACCESS_KEY"' in curl
            for secret in secret_values(session):
                assert secret not in curl
            await pilot.press("f5")
            await settle(pilot)
            await pilot.press("ctrl+b")
            assert '"SchemaName"' in app.copied[-1]
    finally:
        await session.aclose()


async def test_a_5_mb_body_shows_and_search_finds_within_it() -> None:
    session = await open_vendor("cmdatamanager")
    app = Harness(session)
    rows = [{"id": i, "name": f"row {i}", "note": "x" * 60} for i in range(50_000)]
    rows[41_234]["name"] = "needle-in-the-haystack"
    body = json.dumps(rows)
    assert len(body) > 5_000_000
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            view = app.query_one(BodyView)
            view.set_body(body)
            await pilot.pause()
            await pilot.press("ctrl+f")
            await pilot.press(*"needle-in", "enter")
            await pilot.pause()
            assert view.current_match is not None
            assert "needle-in-the-haystack" in view.lines[view.current_match]
            assert "needle-in-the-haystack" in screen_text(app)  # type: ignore[arg-type]
    finally:
        await session.aclose()


async def test_hostile_body_is_shown_literally() -> None:
    session = await open_vendor("cmdatamanager")
    app = Harness(session)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            view = app.query_one(BodyView)
            view.set_body(
                json.dumps({"name": "[/bold] [@click=app.quit]x\u009b\u202e"}) + "\x1b]0;t"
            )
            await pilot.pause()
            shown = screen_text(app)  # type: ignore[arg-type]
            assert "[/bold] [@click=app.quit]x" in shown
            assert "\x1b]0" not in view.text and "\u202e" not in view.text
            assert app.is_running
    finally:
        await session.aclose()
