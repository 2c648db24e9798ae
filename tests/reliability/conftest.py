"""A real `crmtui sandbox serve` on loopback, and `crmtui` run as separate processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.serving import sandbox_serve


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
    with sandbox_serve(folder, records=200) as server:
        yield Sandbox(server.port, server.profiles, folder / "client-data")
