"""Over a real SSH session, inside tmux: find a demo lead by email, change its status, save, quit.

The test starts the distribution's sshd on loopback (an unprivileged port, a throwaway host key
and user key, all in a temp dir) and drives crmtui through `ssh -tt` in a tmux pane; the
sandbox store is read afterwards to check the edit landed. The tmux captures form a transcript,
printed by the test and written to $CRMTUI_E2E_TRANSCRIPT when that is set.
"""

from __future__ import annotations

import base64
import getpass
import os
import shlex
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import Lead, demo_leads, stored_lead
from .terminal import CRMTUI, REPO, Pty, Tmux, base_env, need

SESSION = "ssh"


@dataclass
class Sshd:
    """A running throwaway sshd and how to reach it."""

    port: int
    key: Path
    user: str
    log: Path

    def ssh_line(self, remote: str) -> str:
        """The local shell line that runs `remote` on the loopback host with a pty."""
        argv = [
            need("ssh"), "-tt", "-p", str(self.port), "-i", str(self.key),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", f"{self.user}@127.0.0.1", remote,
        ]  # fmt: skip
        return f"{shlex.join(argv)}; echo SSH-EXIT=$?"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _keygen(path: Path) -> None:
    subprocess.run(
        [need("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
        check=True,
        timeout=30,
    )


@pytest.fixture
def sshd(demo_dir: Path) -> Iterator[Sshd]:
    """sshd on 127.0.0.1, key login only, crmtui's data dir set for every session."""
    daemon = need("sshd")
    work = demo_dir.parent / "ssh"
    work.mkdir()
    _keygen(work / "host_key")
    _keygen(work / "user_key")
    (work / "authorized_keys").write_text((work / "user_key.pub").read_text())
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation dir
    port = _free_port()
    home = demo_dir.parent / "home"
    env = base_env(demo_dir, XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home))
    settings = " ".join(
        f"{k}={env[k]}" for k in ("CRMTUI_DATA_DIR", "PYTHONPATH", "XDG_CONFIG_HOME", "LANG")
    )
    config = work / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {work / 'host_key'}",
                f"AuthorizedKeysFile {work / 'authorized_keys'}",
                f"PidFile {work / 'sshd.pid'}",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                "StrictModes no",
                f"SetEnv {settings}",
                "LogLevel VERBOSE",
                "",
            ]
        )
    )
    log = work / "sshd.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [daemon, "-D", "-e", "-f", str(config)], stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"sshd did not start:\n{log.read_text()}")
                time.sleep(0.1)
        yield Sshd(port, work / "user_key", getpass.getuser(), log)
    finally:
        proc.terminate()
        proc.wait(10)


def _remote(*argv: str) -> str:
    """The command line run on the far side: crmtui from this checkout."""
    return f"cd {shlex.quote(str(REPO))} && {shlex.join([*CRMTUI, *argv])}"


def _change_status(tmux: Tmux) -> None:
    """In the edit form: go to Status by its label (ctrl+f), take Contacted by its first letter."""
    tmux.keys(SESSION, "C-f")
    tmux.wait_for(SESSION, ["go to field"])
    tmux.type(SESSION, "Status")
    tmux.keys(SESSION, "Enter")
    tmux.wait_for(SESSION, ["Qualified"])  # the focused choice shows the other choices
    tmux.type(SESSION, "c")
    tmux.wait_for(SESSION, ["Contacted   Qualified"])  # chosen, the others after it


def _publish(tmux: Tmux, name: str) -> str:
    text = "\n\n".join(tmux.transcript)
    target = os.environ.get("CRMTUI_E2E_TRANSCRIPT")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        (Path(target) / f"{name}.txt").write_text(text + "\n")
    print(text)
    return text


def _new_lead_off_screen(demo_dir: Path) -> Lead:
    """A lead with status New and an email of its own, below the first screen of the list."""
    leads = demo_leads(demo_dir, 400)
    emails = [lead.email for lead in leads]
    for lead in leads[60:]:
        if lead.status == "New" and lead.email and emails.count(lead.email) == 1:
            return lead
    raise AssertionError("no New lead with a unique email in rows 60-400")


def test_find_by_email_change_status_save_and_quit_over_ssh(
    sshd: Sshd, tmux: Tmux, demo_dir: Path
) -> None:
    new_lead = _new_lead_off_screen(demo_dir)  # not the lead the detail shows at first
    first = demo_leads(demo_dir, 1)[0]
    tmux.start(SESSION, sshd.ssh_line(_remote("--demo")), size=(120, 36))
    tmux.wait_for(SESSION, ["CMDataManager (demo)", first.last_name, "^p palette"])
    tmux.record("crmtui --demo over ssh, inside tmux", SESSION)

    tmux.type(SESSION, "/" + new_lead.email)  # one write, as a paste or a laggy link sends it
    found = tmux.wait_for(SESSION, [new_lead.email])
    tmux.record(f"/{new_lead.email} in one write: the search bar has it", SESSION)
    assert "^s Save" not in found, "the burst opened the edit form"

    tmux.type(SESSION, "\re")  # Enter and e in one write: e waits for the find to land
    tmux.wait_for(SESSION, ["Edit Leads:", f"(id {new_lead.id})"])
    tmux.record("enter+e in one write: the match in the edit form", SESSION)
    _change_status(tmux)
    tmux.record("status changed to Contacted", SESSION)

    tmux.keys(SESSION, "C-s")
    tmux.wait_for(SESSION, ["Save 1 change", "Contacted"])
    tmux.record("ctrl+s: confirm", SESSION)
    tmux.keys(SESSION, "y")
    tmux.wait_for(SESSION, ["Saved.", "^p palette", "match 1 of 1"])
    tmux.record("saved", SESSION)

    tmux.keys(SESSION, "q")
    tmux.wait_for(SESSION, ["SSH-EXIT=0"], history=True)
    tmux.record("quit", SESSION)
    _publish(tmux, "ssh-browse")

    assert stored_lead(demo_dir, new_lead.id)["Status"] == "Contacted"
    assert "Accepted publickey" in sshd.log.read_text()  # it really went through sshd


def test_ten_second_fix_edit_by_email_over_ssh(
    sshd: Sshd, tmux: Tmux, demo_dir: Path, new_lead: Lead
) -> None:
    line = sshd.ssh_line(_remote("--demo", "edit", "lead", new_lead.email))
    tmux.start(SESSION, line, size=(80, 24))
    tmux.wait_for(SESSION, ["Edit Leads:", f"(id {new_lead.id})", "^s Save"])
    tmux.record(f"crmtui --demo edit lead {new_lead.email}", SESSION)
    _change_status(tmux)
    tmux.keys(SESSION, "C-s")
    tmux.wait_for(SESSION, ["Save 1 change"])
    tmux.record("ctrl+s: confirm", SESSION)
    tmux.keys(SESSION, "y")
    screen = tmux.wait_for(SESSION, ["SSH-EXIT=0"], history=True)
    tmux.record("saved and exited", SESSION)
    _publish(tmux, "ssh-edit")

    said = " ".join(screen.split())
    assert "crmtui: saved lead" in said and f"{new_lead.last_name} (id {new_lead.id})" in said
    assert stored_lead(demo_dir, new_lead.id)["Status"] == "Contacted"


def test_copy_reaches_the_clipboard_through_ssh_and_tmux(
    sshd: Sshd, tmux: Tmux, demo_dir: Path
) -> None:
    first = demo_leads(demo_dir, 1)[0]
    value = str(stored_lead(demo_dir, first.id)["FirstName"])
    tmux.start(SESSION, sshd.ssh_line(_remote("--demo")), size=(120, 36))
    tmux.wait_for(SESSION, ["CMDataManager (demo)", first.last_name, "^p palette"])
    tmux.keys(SESSION, "Tab")  # to the detail pane, on its first field
    tmux.wait_for(SESSION, ["c Copy value"])
    tmux.keys(SESSION, "c")
    tmux.wait_for(SESSION, ["Copied First Name"])
    tmux.record("c: copied over ssh; tmux (set-clipboard on) took the OSC 52", SESSION)
    assert tmux.buffer() == value  # the OSC 52 crossed ssh and reached tmux's clipboard
    tmux.keys(SESSION, "q")
    tmux.wait_for(SESSION, ["SSH-EXIT=0"], history=True)


def test_copy_writes_osc52_to_the_terminal(demo_dir: Path) -> None:
    first = demo_leads(demo_dir, 1)[0]
    value = str(stored_lead(demo_dir, first.id)["FirstName"])
    term = Pty([*CRMTUI, "--demo"], base_env(demo_dir, TERM="xterm-256color"), (120, 36))
    try:
        term.wait_for(b"of 10,000")
        term.wait_for(b"Leads: ")  # the detail shows the first lead (on a loaded machine, later)
        term.settle(0.3, limit=2.0)
        term.send(b"\t")
        term.settle(0.3, limit=2.0)
        term.send(b"c")
        expected = b"\x1b]52;c;" + base64.b64encode(value.encode()) + b"\x07"
        term.wait_for(expected, timeout=10)
    finally:
        term.close()


def test_a_search_typed_at_once_after_launch_over_ssh_is_done(
    sshd: Sshd, tmux: Tmux, demo_dir: Path
) -> None:
    new_lead = _new_lead_off_screen(demo_dir)
    tmux.start(SESSION, sshd.ssh_line(_remote("--demo")), size=(80, 24))
    # typed while ssh connects and crmtui starts: one write, Enter included, nothing awaited
    tmux.type(SESSION, "/" + new_lead.email + "\r")
    needles = [new_lead.email, "match 1 of 1", f"id {new_lead.id}", "^p palette"]
    screen = tmux.wait_for(SESSION, needles)  # the match, in the detail pane
    tmux.record("/EMAIL Enter typed at once after launch: the search is done", SESSION)
    assert "^s Save" not in screen, "the keys opened the edit form"
    tmux.keys(SESSION, "q")  # the list has the keys, as after a search typed slowly
    tmux.wait_for(SESSION, ["SSH-EXIT=0"], history=True)
