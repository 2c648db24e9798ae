"""Nothing lost, nothing leaked, in the TUI: pending writes, the outbox, crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtui.profiles.locations import data_dir
from crmtui.sandbox.cmdatamanager.app import DEFAULT_CREDENTIALS
from crmtui.services.demo import Demo, open_demo
from crmtui.services.journal import Journal, Op
from crmtui.ui.app import CrmApp
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.screens.outbox import OutboxScreen

PROFILE = "demo-cmdatamanager"


@pytest.fixture
def demo(tmp_path: Path) -> Demo:
    return open_demo(data_dir=tmp_path / "demo", records=100)


def make(demo: Demo) -> CrmApp:
    return app_for_config(demo.config, PROFILE, memory_prefs(), transports={**demo.transports})


def queue_a_write() -> None:
    Journal(PROFILE, "cmdatamanager").new(
        Op.UPDATE, "lead", record_id="X1", changes=[{"field": "City", "old": "A", "new": "B"}]
    )


def notices(app: CrmApp) -> str:
    return " ".join(n.message for n in app._notifications)


async def test_pending_writes_are_offered_on_start_and_quitting_asks(demo: Demo) -> None:
    queue_a_write()
    app = make(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "outbox" in notices(app).lower()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OutboxScreen)
    demo.close()


async def test_quitting_with_nothing_pending_does_not_ask(demo: Demo) -> None:
    app = make(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    demo.close()


async def test_a_crash_shows_a_short_redacted_message_and_writes_a_private_file(
    demo: Demo, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = DEFAULT_CREDENTIALS.client_secret
    app = make(demo)

    def explode() -> None:
        raise RuntimeError(f"boom while holding {secret}")

    # The test harness re-raises the app's exception once it has exited; a user sees the message.
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(120, 36)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.call_later(explode)
            await pilot.pause()
    message = getattr(app, "crash_file_message", "")
    assert "unexpected error (RuntimeError)" in message
    assert secret not in message
    files = list(data_dir().glob("crash-*.txt"))
    assert files and all(secret not in f.read_text() for f in files)
    assert all(f.stat().st_mode & 0o077 == 0 for f in files)
    assert app.return_code == 1
    shown = capsys.readouterr()
    assert secret not in shown.out + shown.err and "Traceback" not in shown.out + shown.err
    demo.close()
