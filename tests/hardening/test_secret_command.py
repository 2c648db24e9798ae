"""Issue 14 finding 9: a failing `{ command = ... }` never shows its error output (it may echo the
secret); a hung one is killed with every process it started."""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path

import pytest
import tomli_w

from crmtui.errors import ConfigError
from crmtui.profiles.model import CommandRef
from crmtui.profiles.secrets import resolve

from .conftest import crmtui

CANARY = "canary-Hq2-secret-echoed-on-failure"


def test_failing_command_output_never_reaches_the_user(tmp_path: Path) -> None:
    script = f"import sys; sys.stderr.write('bad passphrase for {CANARY}\\n'); sys.exit(7)"
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"
    config = tmp_path / "profiles.toml"
    profile = {"vendor": "sharpspring", "base_url": "https://api.sharpspring.invalid/pubapi/v1",
               "account_id": "ACC", "secret_key": {"command": command}}  # fmt: skip
    config.write_text(tomli_w.dumps({"profiles": {"prod": profile}}), encoding="utf-8")
    config.chmod(0o600)
    result = crmtui("list", "lead", "-p", "prod", data=tmp_path / "data", config=config)
    assert result.returncode == 2
    assert "exit status 7" in result.stderr
    assert CANARY not in result.stderr + result.stdout
    assert "bad passphrase" not in result.stderr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead too
        return stat.read().split(")")[-1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to watch the grandchild")
def test_hung_command_is_killed_with_its_children(tmp_path: Path) -> None:
    pidfile = tmp_path / "grandchild.pid"
    command = f"sh -c 'sleep 300 & echo $! > {pidfile}; wait'"
    started = time.monotonic()
    with pytest.raises(ConfigError, match=r"did not finish in 1 s"):
        resolve(CommandRef(command=command), where="profile 'p', key 'k'", command_timeout=1)
    assert time.monotonic() - started < 10
    grandchild = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)
