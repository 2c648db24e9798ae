"""The everyday loop in a real terminal at 80x24: find a lead and change its status in a few
keys; triage five leads and undo one. The demo store is read afterwards to see what landed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from .conftest import Lead, demo_leads, stored_lead
from .terminal import CRMTUI, Tmux, base_env, shell_command

SIZE = (80, 24)
SESSION = "loop"


def start(tmux: Tmux, demo_dir: Path) -> None:
    env = base_env(demo_dir, TERM="xterm-256color")
    tmux.start(SESSION, shell_command([*CRMTUI, "--demo"], env), size=SIZE)
    tmux.wait_for(SESSION, ["Leads", "of 10,000"], timeout=60)


def choice_key(screen: str, label: str) -> str:
    """The key triage shows beside a choice."""
    found = re.search(rf"(\w) •?{re.escape(label)}\b", screen)
    assert found is not None, f"{label} not offered:\n{screen}"
    return found.group(1)


class Keys:
    """Presses keys in tmux and counts them (typed text is not counted)."""

    def __init__(self, tmux: Tmux) -> None:
        self.tmux = tmux
        self.count = 0

    def press(self, *keys: str) -> None:
        self.count += len(keys)
        self.tmux.keys(SESSION, *keys)

    def type(self, text: str) -> None:
        self.tmux.type(SESSION, text)


def wait_any(tmux: Tmux, needles: list[str], timeout: float = 20) -> str:
    """The screen once one of `needles` shows."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = tmux.capture(SESSION)
        if any(n in screen for n in needles):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"none of {needles} shown:\n{tmux.capture(SESSION)}")


def confirm_if_asked(tmux: Tmux, keys: Keys, done: str) -> None:
    """Press y when the confirm-writes dialog shows, then wait for `done`."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        screen = tmux.capture(SESSION)
        if "y yes · n no" in screen:
            keys.press("y")
            while "y yes · n no" in tmux.capture(SESSION):
                time.sleep(0.1)
        elif done in screen:
            return
        time.sleep(0.2)
    raise AssertionError(f"{done!r} never shown:\n{tmux.capture(SESSION)}")


def test_find_a_lead_by_email_and_change_its_status_in_ten_keys(
    demo_dir: Path, tmux: Tmux, new_lead: Lead
) -> None:
    start(tmux, demo_dir)
    keys = Keys(tmux)
    keys.press("/")
    wait_any(tmux, ["filter over", "search "])  # the search bar is open (as a user sees it)
    keys.type(new_lead.email)
    keys.press("Enter")
    tmux.wait_for(SESSION, [new_lead.last_name, "match 1 of 1"])
    tmux.record("found by email", SESSION)
    keys.press("t")
    screen = tmux.wait_for(SESSION, ["Triage", "1 of 1", new_lead.email, "S Status"])
    keys.press(choice_key(screen, "Qualified"))
    confirm_if_asked(tmux, keys, "Status → Qualified")
    tmux.record("status set", SESSION)
    keys.press("Escape")
    assert stored_lead(demo_dir, new_lead.id)["Status"] == "Qualified"
    print(f"find-and-change keystrokes besides the typed email: {keys.count}")
    assert keys.count <= 10, keys.count


def test_triage_five_leads_then_undo_one(demo_dir: Path, tmux: Tmux) -> None:
    leads = demo_leads(demo_dir, 5)
    start(tmux, demo_dir)
    keys = Keys(tmux)
    keys.press("t")
    screen = tmux.wait_for(SESSION, ["Triage", "1 of 10,000", "S Status"])
    key = choice_key(screen, "Unqualified")
    for step in range(5):
        keys.press(key)
        confirm_if_asked(tmux, keys, f"{step + 2} of 10,000")
    screen = tmux.record("five set", SESSION)
    assert "5 set" in screen
    for lead in leads:
        assert stored_lead(demo_dir, lead.id)["Status"] == "Unqualified"
    keys.press("z")
    confirm_if_asked(tmux, keys, "Undone")
    tmux.record("undone", SESSION)
    now = [stored_lead(demo_dir, lead.id)["Status"] for lead in leads]
    assert now[:4] == ["Unqualified"] * 4
    assert now[4] == leads[4].status  # the last one is back as it was
    print(f"triage of five and an undo: {keys.count} keystrokes")
