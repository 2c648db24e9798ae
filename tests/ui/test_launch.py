"""Starting crmtui: the demo opens on its lead list; a broken profile file gets a problem screen."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from crmtui.ui.launch import build_app
from crmtui.ui.screens.main import MainScreen
from crmtui.ui.screens.problem import ProblemScreen

from .helpers import record_list, screen_text, settle

PROFILE = """\
[profiles.crm]
vendor = "cmdatamanager"
base_url = "http://127.0.0.1:8765"
client_id = "sandbox-client"
client_secret = { env = "CRM_SECRET" }
username = "ada"
password = "pw"
"""


def args(**given: object) -> argparse.Namespace:
    """What the CLI passes when no subcommand is given."""
    values: dict[str, object] = {"profile": None, "config": None, "demo": False, "reset": False}
    return argparse.Namespace(**{**values, **given})


async def _problem_text(namespace: argparse.Namespace) -> str:
    app, cleanup = build_app(namespace)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProblemScreen)
        text = screen_text(app)
        await pilot.press("q")
        await pilot.pause()
    cleanup()
    assert app.return_code in (0, None)
    return text


async def test_missing_profile_file_says_where_and_how_to_start(tmp_path: Path) -> None:
    text = await _problem_text(args(config=tmp_path / "absent.toml"))
    assert "absent.toml" in text
    assert "crmtui profiles add" in text
    assert "crmtui --demo" in text
    assert "Traceback" not in text


async def test_broken_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text('default_profile = "a"\n[profiles.a\nvendor = 1\n')
    path.chmod(0o600)
    text = await _problem_text(args(config=path))
    assert "profiles.toml:2" in text
    assert "crmtui --demo" in text


async def test_unknown_profile_names_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(PROFILE)
    path.chmod(0o600)
    text = await _problem_text(args(config=path, profile="crn"))
    assert "no profile named 'crn'" in text and "'crm'? (profiles: crm)" in text


async def test_demo_opens_on_the_lead_list_with_records_visible() -> None:
    app, cleanup = build_app(args(demo=True))
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot, rounds=5)
            assert isinstance(app.screen, MainScreen)
            screen = app.screen
            assert screen.entity is not None and screen.entity.name == "lead"
            rows = record_list(app)
            assert rows.current is not None
            text = screen_text(app)
            assert "CMDataManager (demo)" in text.split("\n")[0]
            assert "of 10,000" in text or "+" in rows.status_label()
            assert "requests" in text  # the status bar counts real sandbox requests
    finally:
        cleanup()


def _echoed(master: int) -> bytes:
    import select

    ready, _, _ = select.select([master], [], [], 0.3)
    return os.read(master, 100) if ready else b""


def test_keys_typed_while_starting_are_not_echoed_and_the_terminal_is_put_back() -> None:
    import termios

    from crmtui.ui.launch import keys_unechoed

    master, slave = os.openpty()
    try:
        with open(slave, closefd=False) as stream:
            os.write(master, b"a")
            assert _echoed(master) == b"a"  # a terminal echoes what is typed
            with pytest.raises(RuntimeError), keys_unechoed(stream):
                os.write(master, b"/kelly")  # typed while crmtui starts
                assert _echoed(master) == b""
                raise RuntimeError("start-up failed")
            assert termios.tcgetattr(slave)[3] & termios.ECHO  # back as it was, even so
    finally:
        os.close(master)
        os.close(slave)


def test_a_stream_that_is_no_terminal_is_left_alone() -> None:
    import io

    from crmtui.ui.launch import keys_unechoed

    with keys_unechoed(io.StringIO()):
        pass
