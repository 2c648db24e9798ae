"""A real `crmtui sandbox serve` on loopback, and `crmtui` run as separate processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Sandbox:
    port: int
    profiles: Path
    data: Path

    def faults(self, **settings: object) -> None:
        """Change the live faults of the running sandbox."""
        url = f"http://127.0.0.1:{self.port}/_sandbox/faults"
        httpx.post(url, json=settings, timeout=5).raise_for_status()

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "crmtui", *args, "--config", str(self.profiles)]

    def env(self) -> dict[str, str]:
        return {**os.environ, "CRMTUI_DATA_DIR": str(self.data)}

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run `crmtui ARGS` to completion, as a user would from a shell."""
        return subprocess.run(
            self.command(*args),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.env(),
            stdin=subprocess.DEVNULL,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start `crmtui ARGS` in the background (its own session, like an SSH login)."""
        return subprocess.Popen(
            self.command(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """`crmtui sandbox serve` on a free port with 200 leads."""
    folder = tmp_path_factory.mktemp("sandbox")
    port = free_port()
    profiles = folder / "profiles.toml"
    log = (folder / "serve.log").open("w")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "crmtui", "sandbox", "serve", "--port", str(port)),
            *("--records", "200", "--data", str(folder / "store.sqlite3")),
            *("--write-profiles", str(profiles)),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "CRMTUI_DATA_DIR": str(folder / "serve-data")},
    )
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            raise RuntimeError(
                "sandbox serve did not start:\n" + (folder / "serve.log").read_text()
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if profiles.exists():
                    break
        except OSError:
            time.sleep(0.1)
    yield Sandbox(port, profiles, folder / "client-data")
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()
