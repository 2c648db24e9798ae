"""The everyday loop in a real terminal at 80x24: raw calls on each vendor, keys in one burst."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .conftest import demo_leads
from .terminal import CRMTUI, Tmux, base_env, shell_command

SIZE = (80, 24)
# the demo profile, what its example answer holds on screen
ANSWERS = {
    "demo-cmdatamanager": '"Total Records"',
    "demo-leadsquared": '"SchemaName"',
    "demo-sharpspring": '"result"',
    "demo-influencersoft": '"error_code"',
}


def _start(tmux: Tmux, name: str, data: Path, *args: str) -> None:
    line = shell_command([*CRMTUI, "--demo", *args], base_env(data, TERM="xterm-256color"))
    tmux.start(name, line, size=SIZE)


@pytest.mark.parametrize("profile", sorted(ANSWERS))
def test_a_raw_call_on_each_vendor_shows_its_status_and_body(
    tmux: Tmux, demo_dir: Path, profile: str
) -> None:
    name = profile.removeprefix("demo-")
    _start(tmux, name, demo_dir, "-p", profile)
    tmux.wait_for(name, ["^p palette", "requests "], timeout=60)
    tmux.keys(name, "C-t")
    tmux.wait_for(name, ["fills this in"])
    tmux.keys(name, "Right", "F5")
    screen = tmux.wait_for(name, ["HTTP 200", ANSWERS[profile]])
    tmux.record(f"{profile}: answer", name)
    lines = screen.rstrip("\n").split("\n")
    assert len(lines) <= SIZE[1] and max(len(line) for line in lines) <= SIZE[0]
    body = [line for line in lines if line.startswith("│")]
    assert len(body) >= 5, screen  # the answer is readable, not squeezed to a line or two
    tmux.keys(name, "C-x")  # the whole screen for the answer
    deadline = time.monotonic() + 20
    while _body_rows(tmux.capture(name)) <= len(body):
        assert time.monotonic() < deadline, tmux.capture(name)
        time.sleep(0.2)


def _body_rows(screen: str) -> int:
    return len([line for line in screen.split("\n") if line.startswith("│")])


def test_a_pasted_slash_and_email_lands_on_that_lead(tmux: Tmux, demo_dir: Path) -> None:
    leads = demo_leads(demo_dir, 12)
    wanted = leads[7]
    _start(tmux, "burst", demo_dir)
    tmux.wait_for("burst", ["^p palette", "of 10,000"], timeout=60)
    tmux.type("burst", "/" + wanted.email)  # one write, as a paste or a laggy link sends it
    screen = tmux.wait_for("burst", [wanted.email])
    assert "Save" not in screen.split("\n")[-1], "the burst opened the edit form"
    tmux.keys("burst", "Enter")
    screen = tmux.wait_for("burst", ["match 1 of 1"])
    tmux.record("burst: found", "burst")
    assert wanted.last_name in screen
    tmux.keys("burst", "Escape")
    tmux.type("burst", "/" + wanted.last_name[:3])
    tmux.keys("burst", "C-u")
    tmux.type("burst", wanted.email)
    screen = tmux.wait_for("burst", [wanted.email])
    assert wanted.last_name[:3] + wanted.email not in screen
