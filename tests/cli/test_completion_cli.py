"""Shell completion as a user enables it: the scripts, and `crmtui __complete` behind them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Served, crmtui


def complete(*words: str, config: Path | None = None) -> list[str]:
    """What `crmtui __complete` offers for the last word."""
    extra = ["--config", str(config)] if config is not None else []
    result = crmtui("__complete", "--", *extra, *words)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_commands_and_options_complete_and_the_helper_stays_hidden() -> None:
    top = complete("")
    assert {"list", "update", "outbox", "completion", "bulk"} <= set(top)
    assert "__complete" not in top
    assert complete("li") == ["list"]
    assert {"--limit", "--sort", "--format"} <= set(complete("list", "--"))
    assert "__complete" not in crmtui("--help").stdout
    assert {"csv", "json"} <= set(complete("list", "lead", "--format", ""))


def test_profile_names_come_from_the_file_without_resolving_secrets(tmp_path: Path) -> None:
    marker = tmp_path / "secret-was-resolved"
    config = tmp_path / "profiles.toml"
    config.write_text(
        "[profiles.work]\n"
        'vendor = "leadsquared"\n'
        'base_url = "https://api.example.invalid"\n'
        'access_key = "a"\n'
        f'secret_key = {{ command = "touch {marker}" }}\n'
        "[profiles.home]\n"
        'vendor = "sharpspring"\n'
        'base_url = "https://api.example.invalid"\n'
        'account_id = "x"\n'
        'secret_key = "y"\n'
    )
    config.chmod(0o600)
    assert complete("-p", "", config=config) == ["home", "work"]
    assert complete("-p", "work", "list", "", config=config) == ["lead", "opportunity"]
    assert not marker.exists()


def test_demo_entities_fields_and_actions() -> None:
    assert {"lead", "account", "task"} <= set(complete("--demo", "list", ""))
    assert "demo-sharpspring" in complete("--demo", "-p", "")
    assert complete("--demo", "update", "lead", "X", "FirstN") == ["FirstName="]
    assert "FirstName" in complete("--demo", "list", "lead", "--sort", "Fir")
    assert "convert" in complete("--demo", "action", "lead", "X", "")
    assert complete("--config", "") == ["::files"]


def test_refresh_keeps_a_real_profiles_fields_for_completion(served: Served) -> None:
    assert complete("update", "lead", "1", "FirstN", config=served.profiles) == []
    result = crmtui("completion", "refresh", config=served.profiles)
    assert result.returncode == 0, result.stderr
    assert "field names kept" in result.stdout
    assert complete("update", "lead", "1", "FirstN", config=served.profiles) == ["FirstName="]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_completes_in_bash(tmp_path: Path) -> None:
    script = crmtui("completion", "bash").stdout
    assert "complete -F _crmtui_complete crmtui" in script
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "crmtui").write_text(f'#!/bin/sh\nexec {sys.executable} -m crmtui "$@"\n')
    (shim / "crmtui").chmod(0o755)
    probe = (
        'eval "$(crmtui completion bash)"; COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; '
        '_crmtui_complete; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    env = {**os.environ, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-c", probe, "_", "crmtui --demo update lead X FirstN"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.stdout.split() == ["FirstName="], done.stderr


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_zsh_and_fish_scripts_are_printed(shell: str) -> None:
    script = crmtui("completion", shell).stdout
    assert "__complete" in script and "crmtui" in script
    if shell == "fish" and shutil.which("fish"):
        done = subprocess.run(
            ["fish", "-c", "crmtui completion fish | source; complete -C 'crmtui --demo li'"],
            capture_output=True,
            text=True,
            timeout=120,
            env={
                **os.environ,
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            },
        )
        assert done.stdout.split() == ["list"], done.stderr
