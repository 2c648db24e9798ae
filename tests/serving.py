"""Start a real `crmtui sandbox serve` on a free loopback port for tests, and stop it after."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A running sandbox: its port, the profiles file it wrote, its process."""

    port: int
    profiles: Path
    process: subprocess.Popen[str]


@contextmanager
def sandbox_serve(folder: Path, records: int) -> Iterator[Server]:
    """`crmtui sandbox serve --records N` in `folder`, ready once it listens and wrote profiles."""
    port = free_port()
    profiles = folder / "profiles.toml"
    log_path = folder / "serve.log"
    log = log_path.open("w")
    command = [sys.executable, "-m", "crmtui", "sandbox", "serve", "--port", str(port)]
    command += ["--records", str(records), "--data", str(folder / "store.sqlite3")]
    command += ["--write-profiles", str(profiles)]
    process = subprocess.Popen(
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "CRMTUI_DATA_DIR": str(folder / "serve-data")},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(f"sandbox serve did not start:\n{log_path.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    if profiles.exists():
                        break
            except OSError:
                time.sleep(0.1)
        yield Server(port, profiles, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
