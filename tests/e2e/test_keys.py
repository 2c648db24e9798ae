"""Keys over SSH: every action in the palette, no key terminals or tmux take, a quick Escape."""

from __future__ import annotations

import argparse
import statistics
import time
from functools import partial
from pathlib import Path

import pytest

from crmtui.ui.commands import CrmCommands
from crmtui.ui.keymap import RESERVED_KEYS
from crmtui.ui.launch import ESCAPE_DELAY_MS, build_app, terminal_environment
from crmtui.ui.screens.main import MainScreen

from .terminal import CRMTUI, Pty, base_env

MOVES = {"cursor", "page", "edge", "column", "cancel"}  # plain navigation: arrows, home, end, esc
FUNCTION_KEYS = {f"f{n}" for n in range(1, 25)}
NOTICEABLE = 0.3  # seconds: a delay people notice after pressing Escape


def _args(**given: object) -> argparse.Namespace:
    values = {"profile": None, "config": None, "demo": True, "reset": False, "low_bandwidth": False}
    return argparse.Namespace(**{**values, **given})


def _action_name(run: object) -> str:
    func = run.func if isinstance(run, partial) else run
    return str(getattr(func, "__name__", "")).removeprefix("action_")


async def test_every_action_is_in_the_palette_and_needs_no_reserved_key(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMTUI_DATA_DIR", str(demo_dir))
    app, cleanup = build_app(_args())
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            deadline = time.monotonic() + 30
            while not (isinstance(app.screen, MainScreen) and app.screen.entity is not None):
                assert time.monotonic() < deadline, "the demo never opened"
                await pilot.pause(0.1)
            palette = CrmCommands(app.screen)
            reachable = {_action_name(run) for _, run, _ in palette.commands()}
            system = {command.title for command in app.get_system_commands(app.screen)}
            classes = app.binding_classes()
    finally:
        cleanup()
    assert "Quit" in system  # Textual's own palette entry covers q
    missing: list[str] = []
    for cls in classes:
        for binding in getattr(cls, "BINDINGS", ()):
            keys = {k.strip().lower() for k in binding.key.split(",")}
            assert keys - RESERVED_KEYS - FUNCTION_KEYS, f"{binding.id} needs {binding.key}"
            action = binding.action.partition("(")[0].rpartition(".")[2]
            main_actions = cls.__name__ in {"MainScreen", "RecordList", "DetailPane", "CrmApp"}
            if main_actions and action not in MOVES | {"quit"} and action not in reachable:
                missing.append(f"{binding.id} ({binding.key}: {action})")
    assert not missing, f"not in the command palette: {missing}"


def test_escape_delay_is_set_low_unless_the_user_chose_one() -> None:
    env: dict[str, str] = {}
    terminal_environment(False, env)
    assert env == {"ESCDELAY": str(ESCAPE_DELAY_MS)}
    chosen = {"ESCDELAY": "300", "TEXTUAL_FPS": "5"}
    terminal_environment(True, chosen)
    assert chosen["ESCDELAY"] == "300" and chosen["TEXTUAL_FPS"] == "5"
    assert chosen["TEXTUAL_ANIMATIONS"] == "none" and chosen["TEXTUAL_SMOOTH_SCROLL"] == "0"


def _escape_seconds(data: Path, **extra: str) -> float:
    """Median time from a lone ESC to the search bar closing on screen."""
    term = Pty([*CRMTUI, "--demo"], base_env(data, TERM="xterm-256color", **extra), (120, 36))
    times = []
    try:
        term.wait_for(b"of 10,000")
        term.drain(1.0)
        for _ in range(3):
            term.send(b"/")
            term.settle(0.2, limit=2.0)
            start, started = len(term.output), time.monotonic()
            term.send(b"\x1b")
            while b"First Name" not in term.output[start:]:  # the list moves back up
                assert time.monotonic() - started < 5, "Escape did not close the search bar"
                term.read(0.01)
            times.append(time.monotonic() - started)
            term.settle(0.2, limit=2.0)
    finally:
        term.close()
    return statistics.median(times)


def test_escape_responds_without_a_noticeable_delay(demo_dir: Path) -> None:
    """Textual 8's driver notices a lone ESC on its next 100 ms poll, so ESCDELAY < 100 ms buys
    little; tmux adds its own escape-time (500 ms unless set lower, as in our tmux.conf)."""
    # the best of two launches each, alternated: one launch can stall on a loaded machine
    ours = slow = float("inf")
    for _ in range(2):
        ours = min(ours, _escape_seconds(demo_dir))
        slow = min(slow, _escape_seconds(demo_dir, ESCDELAY="400"))
    print(f"ESC to screen: {ours * 1000:.0f} ms; with ESCDELAY=400: {slow * 1000:.0f} ms")
    # Ratios in one run, not wall-clock limits: on a loaded machine both launches slow alike.
    assert slow - ours > NOTICEABLE / 2, "our ESC waits like one held for an ESCDELAY of 400 ms"
