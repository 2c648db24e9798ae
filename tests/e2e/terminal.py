"""Real terminals for the end-to-end tests: tmux sessions, a pty that counts bytes, the demo."""

from __future__ import annotations

import os
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CRMTUI = [sys.executable, "-m", "crmtui"]
REQUIRED = "CRMTUI_E2E_REQUIRED"  # set by .ci/run: a missing tool fails instead of skipping
PACKAGES = {
    "tmux": "tmux",
    "screen": "screen",
    "sshd": "openssh-server",
    "ssh": "openssh-client",
    "ssh-keygen": "openssh-client",
}


def need(tool: str) -> str:
    """The path of `tool`; skips the test (fails under CI) when it is not installed."""
    found = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/usr/local/sbin:/sbin")
    if found:
        return found
    why = f"{tool} is not installed (apt-get install {PACKAGES.get(tool, tool)}; .ci/run does)"
    if os.environ.get(REQUIRED):
        pytest.fail(why)
    pytest.skip(why)


def base_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """An environment for crmtui under test: the repo importable, its own data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NO_COLOR", "TMUX"))}
    env.pop("STY", None)
    for sizing in ("COLUMNS", "LINES"):  # the pty's own size must decide, not the runner's
        env.pop(sizing, None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update(CRMTUI_DATA_DIR=str(data_dir), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.update(extra)
    return env


def shell_command(argv: Sequence[str], env: dict[str, str]) -> str:
    """A shell line running `argv` under exactly the variables in `env` that differ from ours."""
    changed = {k: v for k, v in env.items() if os.environ.get(k) != v}
    assigns = [f"{k}={v}" for k, v in sorted(changed.items())]
    return shlex.join(["env", *assigns, *argv])


class Tmux:
    """A private tmux server (own socket and config): start sessions, type, capture screens."""

    CONFIG = "\n".join(
        [
            "set -g set-clipboard on",  # applications may set the clipboard with OSC 52
            "set -g remain-on-exit on",  # keep the last screen (and exit line) to capture
            "set -sg escape-time 10",  # tmux's own ESC wait (its default is 500 ms)
            "set -g status off",
            'set -g default-terminal "tmux-256color"',
            "",
        ]
    )

    def __init__(self, workdir: Path) -> None:
        self.tmux = need("tmux")
        self.socket = workdir / "tmux.sock"
        self.config = workdir / "tmux.conf"
        self.config.write_text(self.CONFIG)
        self.transcript: list[str] = []

    def run(self, *args: str, check: bool = True) -> str:
        """One tmux command on the private server; its stdout."""
        argv = [self.tmux, "-S", str(self.socket), "-f", str(self.config), *args]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self, name: str, command: str, size: tuple[int, int] = (120, 36)) -> None:
        """Run the shell line `command` in a new detached session of `size` (columns, lines)."""
        columns, lines = size
        self.run("new-session", "-d", "-s", name, "-x", str(columns), "-y", str(lines), command)

    def capture(self, name: str, *, history: bool = False) -> str:
        """The session's screen as text (with the scrollback above it when `history`)."""
        return self.run("capture-pane", "-p", *(["-S", "-"] if history else []), "-t", name)

    def keys(self, name: str, *keys: str, pause: float = 0.15) -> None:
        """Press tmux key names (Enter, Tab, Down, C-s, Escape...) one at a time."""
        for key in keys:
            self.run("send-keys", "-t", name, key)
            time.sleep(pause)

    def type(self, name: str, text: str) -> None:
        """Type `text` literally."""
        self.run("send-keys", "-t", name, "-l", text)

    def wait_for(
        self, name: str, needles: Sequence[str], timeout: float = 40.0, *, history: bool = False
    ) -> str:
        """The screen once every needle is on it; fails with the last screen otherwise.

        `history` looks at the scrollback too (after the app has left the alternate screen).
        """
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture(name, history=history)
            if all(n in screen for n in needles):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{list(needles)} never appeared in {name}; screen:\n{screen}")

    def record(self, step: str, name: str) -> str:
        """Capture the screen into the transcript under `step`; returns it."""
        screen = self.capture(name)
        lines = [line.rstrip() for line in screen.rstrip("\n").split("\n")]
        self.transcript.append(f"--- {step} ---\n" + "\n".join(lines))
        return screen

    def buffer(self) -> str:
        """tmux's newest paste buffer (where an OSC 52 copy lands with set-clipboard on)."""
        return self.run("show-buffer", check=False)

    def close(self) -> None:
        """Stop the private server."""
        self.run("kill-server", check=False)


class Pty:
    """`argv` in a pseudo-terminal of `size`; counts every byte it writes to the terminal."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], size: tuple[int, int]) -> None:
        import fcntl
        import termios

        self.master, slave = os.openpty()
        columns, lines = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.proc = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO,
            start_new_session=True, close_fds=True,
        )  # fmt: skip
        os.close(slave)
        self.output = bytearray()

    def read(self, timeout: float) -> int:
        """Bytes that arrive within `timeout` seconds."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return 0
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return 0
        self.output += chunk
        return len(chunk)

    def wait_for(self, needle: bytes, timeout: float = 40.0) -> None:
        """Read until `needle` has been written."""
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            if time.monotonic() > deadline or (not self.read(0.1) and self.proc.poll() is not None):
                tail = bytes(self.output[-600:])
                raise AssertionError(f"{needle!r} never written; last output: {tail!r}")

    def settle(self, quiet: float = 0.25, limit: float = 10.0) -> int:
        """Read until nothing arrives for `quiet` seconds; the bytes read meanwhile."""
        total = 0
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            count = self.read(quiet)
            if not count:
                break
            total += count
        return total

    def drain(self, seconds: float) -> int:
        """Read for exactly `seconds`; the bytes read."""
        total = 0
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            total += self.read(min(left, 0.05))
        return total

    def send(self, data: bytes) -> None:
        """Type `data` as the terminal would send it."""
        os.write(self.master, data)

    def close(self) -> None:
        """Stop the program and release the pty."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        os.close(self.master)
