"""A real `crmtui sandbox serve` on loopback, and a way to run `crmtui` as a user does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    port: int
    profiles: Path
    process: subprocess.Popen[str]


def crmtui(
    *args: str, config: Path | None = None, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `python -m crmtui ARGS` in a subprocess, as a user would from a shell."""
    command = [sys.executable, "-m", "crmtui", *args]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`crmtui sandbox serve` on a free port with 300 leads; its written profile file."""
    folder = tmp_path_factory.mktemp("served")
    port = free_port()
    profiles = folder / "profiles.toml"
    log = (folder / "serve.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crmtui",
            "sandbox",
            "serve",
            "--port",
            str(port),
            "--records",
            "300",
            "--data",
            str(folder / "store.sqlite3"),
            "--write-profiles",
            str(profiles),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "CRMTUI_DATA_DIR": str(folder / "data")},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            output = (folder / "serve.log").read_text()
            raise RuntimeError(f"sandbox serve exited early:\n{output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if profiles.exists():
                    break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("sandbox serve did not start")
    yield Served(port, profiles, process)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()
