"""A real `crmtui sandbox serve` on loopback, and a way to run `crmtui` as a user does."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.serving import sandbox_serve


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
    with sandbox_serve(tmp_path_factory.mktemp("served"), records=300) as server:
        yield Served(server.port, server.profiles, server.process)
