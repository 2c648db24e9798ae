"""The canary secret run: distinctive secrets (CANARY-...) through the chaos run and a TUI session,
then every artifact searched — data dir (journals, history, crash files, screenshots), captured
stdout/stderr, log records, the Textual screen text, notifications, the clipboard: 0 hits.

The secrets reach crmtui only as `{ env = "..." }` references, as a careful user would set them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, TextArea

from crmtui.model import Change
from crmtui.sandbox.chaos import ChaosTransport
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.crash import crash_message
from crmtui.services.edits import save_changes
from crmtui.ui.app import make_app
from crmtui.ui.prefs import load_prefs
from crmtui.ui.widgets.console import ConsolePane
from tests.chaos.runner import run_chaos
from tests.chaos.vendors import make_rig
from tests.ui.helpers import notified, screen_text, settle

VENDORS = ("cmdatamanager", "sharpspring", "leadsquared", "influencersoft")
CALLS = {  # a raw call per vendor for the console: (method or API method, target, body)
    "cmdatamanager": ("GET", "/lead?per_page=3&page=1", ""),
    "leadsquared": ("GET", "LeadManagement.svc/LeadsMetaData.Get", ""),
}


def hits(canaries: Iterable[str], texts: Iterable[str], folders: Iterable[Path]) -> list[str]:
    """Where any canary appears: in a text (by index) or in a file under a folder (by path)."""
    values = [c for c in canaries if c]
    found: list[str] = []
    for index, text in enumerate(texts):
        found += [f"text #{index}" for c in values if c in text]
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                found += [str(path) for c in values if c.encode() in data]
    return found


async def test_the_chaos_run_leaves_no_canary_anywhere(
    isolated_home: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    canaries: list[str] = []
    for vendor in VENDORS:
        report = await run_chaos(vendor, 60, seed=21)
        canaries += [
            v for k, v in __import__("os").environ.items() if k.startswith("CRMTUI_CHAOS_")
        ]
        assert report.leaked == [] and report.lost == [] and report.duplicates == 0
    out, err = capfd.readouterr()
    journals = list((isolated_home / "data").glob("journal-*.jsonl"))
    assert len(journals) == len(VENDORS)  # the run really wrote its journals there
    assert all("CANARY-" in c for c in canaries) and len(canaries) >= 6
    assert hits(canaries, [out, err, caplog.text], [isolated_home]) == []


@pytest.mark.parametrize("vendor", sorted(CALLS))
async def test_a_tui_session_leaves_no_canary_anywhere(
    vendor: str,
    isolated_home: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    rig = make_rig(vendor, records=60, seed=4)
    chaos = ChaosTransport(in_process_transport(rig.app))
    sessions: list[Any] = []

    async def opener(name: str) -> Any:
        sessions.append(await rig.open(chaos))
        return sessions[-1]

    app = make_app(
        opener=opener, profiles=[rig.profile_name], prefs=load_prefs(tmp_path / "prefs"),
        theme="textual-dark",
    )  # fmt: skip
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign, assignment]
    screens: list[str] = []
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screens.append(screen_text(app))
        session = sessions[-1]
        # An edit through the journal, one that fails (HTML 500) and stays pending.
        ((lead_id, _),) = rig.store.list(rig.ns, "lead", offset=0, limit=1)
        field = rig.case.edit_fields[0]
        current = await session.backend.get("lead", lead_id)
        await save_changes(session, "lead", lead_id, [Change(field, current.values[field], "Cn")])
        rig.faults.error_rate = 1.0
        with pytest.raises(Exception):  # noqa: B017 - any typed error; its text is searched
            await save_changes(session, "lead", lead_id, [Change(field, "Cn", "Cm")])
        rig.faults.error_rate = 0.0
        # The console: a call, copy as curl, then a call that fails.
        await pilot.press("grave_accent")
        await settle(pilot)
        pane = app.screen.query_one(ConsolePane)
        method, target, body = CALLS[vendor]
        pane.query_one("#console-method", Select).value = method
        pane.query_one("#console-target", Input).value = target
        pane.query_one("#console-body", TextArea).text = body
        await pilot.press("f5")
        await settle(pilot)
        screens.append(screen_text(app))
        await pilot.press("f6")
        await settle(pilot)
        assert copied and "curl" in copied[-1]  # the export really happened
        rig.faults.error_rate = 1.0
        await pilot.press("f5")
        await settle(pilot)
        rig.faults.error_rate = 0.0
        screens.append(screen_text(app))
        app.save_screenshot(path=str(isolated_home / "data"), filename="canary.svg")
        screens.append(notified(app))
        # A crash report for an error whose text holds a secret (as a URL would).
        secret = next(iter(rig.canary.values()))
        screens.append(crash_message(RuntimeError(f"boom ?key={secret}"), session.redactor.text))
        screens.append("\n".join(repr(e) for e in session.log.entries))
    out, err = capfd.readouterr()
    canaries = list(rig.canary.values())
    assert (isolated_home / "data" / "canary.svg").exists()
    assert list((isolated_home / "data").glob("crash-*.txt"))
    texts = [*screens, *copied, out, err, caplog.text]
    assert hits(canaries, [f"x{canaries[-1]}y"], []) == ["text #0"]  # the search can find one
    assert hits(canaries, texts, [isolated_home, tmp_path]) == []
