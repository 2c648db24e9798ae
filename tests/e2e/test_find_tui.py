"""Find a lead by email in the TUI, as a user does in tmux, on each demo vendor that lists leads."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from crmtui.sandbox.store import Store

from .conftest import DEMO_STORE
from .terminal import CRMTUI, REPO, Tmux, base_env, shell_command

VENDORS = {  # profile: (namespace, email field, first-name field)
    "demo-sharpspring": ("sharpspring", "emailAddress", "firstName"),
    "demo-leadsquared": ("leadsquared", "EmailAddress", "FirstName"),
    "demo-cmdatamanager": ("cmdatamanager", "Email", "FirstName"),
}


def deep_lead(data: Path, namespace: str, email_field: str) -> tuple[str, str]:
    """A lead far down the list (not on the first screen), by (email, first name)."""
    store = Store(data / DEMO_STORE)
    try:
        rows = store.list(namespace, "lead", offset=4_000, limit=200)
    finally:
        store.close()
    for _, values in rows:
        email = str(values.get(email_field) or values.get("_email") or "")
        if email and "@" in email:
            first = next(
                str(values[k]) for k in ("firstName", "FirstName") if values.get(k) is not None
            )
            return email, first
    raise AssertionError("no lead with an email")


@pytest.mark.parametrize("profile", sorted(VENDORS))
def test_find_a_lead_by_email_and_the_detail_shows_it(
    demo_dir: Path, tmux: Tmux, profile: str
) -> None:
    namespace, email_field, _ = VENDORS[profile]
    email, first = deep_lead(demo_dir, namespace, email_field)
    mirrored = profile == "demo-cmdatamanager"  # CMDataManager has no server filter
    env = base_env(demo_dir)
    if mirrored:
        sync = [*CRMTUI, "--demo", "-p", profile, "mirror", "sync", "lead"]
        done = subprocess.run(sync, env=env, cwd=REPO, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
    tmux.start("find", shell_command([*CRMTUI, "--demo", "-p", profile], env), size=(80, 24))
    tmux.wait_for("find", ["row 1 of"], timeout=60)
    if mirrored:
        tmux.wait_for("find", ["local copy"], timeout=30)
    tmux.type("find", "/" + email)  # one burst, as a paste or a fast typist sends it
    tmux.keys("find", "Enter")
    # "row 4,001 of 10,000 · match 1 of 1" (local copy) or "row 1 of 1 · 1 match" (server)
    screen = tmux.wait_for("find", ["1 of 1", f"Leads: {first}"], timeout=60)
    assert email in screen  # the detail pane shows the found lead
    if mirrored:
        assert "local copy, synced" in screen
    tmux.keys("find", "Escape")
    deadline = time.monotonic() + 10
    while "match" in screen and time.monotonic() < deadline:
        time.sleep(0.2)
        screen = tmux.capture("find")
    assert "match" not in screen  # the filter is gone...
    assert email not in "\n".join(screen.splitlines()[:4])  # ...and the bar with it
