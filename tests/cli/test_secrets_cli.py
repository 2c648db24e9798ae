"""Secrets referenced from a profile never appear in what the CLI prints, whatever goes wrong."""

from __future__ import annotations

import re
from pathlib import Path

from tests.serving import free_port

from .conftest import Served, crmtui

CANARY = "CANARY-pw-5e1f0b7d"


def with_password_ref(served: Served, tmp_path: Path, port: int | None = None) -> Path:
    text = re.sub(
        r'password = "[^"]*"',
        'password = { env = "CMD_TEST_PASSWORD" }',
        served.profiles.read_text(),
    )
    if port is not None:
        text = text.replace(str(served.port), str(port))
    path = tmp_path / "ref.toml"
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_a_wrong_secret_is_not_echoed_in_the_auth_error(served: Served, tmp_path: Path) -> None:
    config = with_password_ref(served, tmp_path)
    result = crmtui("list", "lead", config=config, CMD_TEST_PASSWORD=CANARY)
    assert result.returncode == 3
    assert CANARY not in result.stdout + result.stderr


def test_a_secret_is_not_echoed_when_the_vendor_is_unreachable(
    served: Served, tmp_path: Path
) -> None:
    config = with_password_ref(served, tmp_path, port=free_port())
    result = crmtui("list", "lead", config=config, CMD_TEST_PASSWORD=CANARY)
    assert result.returncode == 5
    assert CANARY not in result.stdout + result.stderr


def test_a_missing_env_var_names_the_profile_and_key(served: Served, tmp_path: Path) -> None:
    config = with_password_ref(served, tmp_path)
    result = crmtui("list", "lead", config=config)
    assert result.returncode == 2
    assert "CMD_TEST_PASSWORD" in result.stderr and "password" in result.stderr
    assert "Traceback" not in result.stderr


def test_profiles_show_masks_literal_secrets(served: Served) -> None:
    secret_line = next(
        line for line in served.profiles.read_text().splitlines() if line.startswith("password")
    )
    secret = secret_line.split('"')[1]
    result = crmtui("profiles", "show", "sandbox-cmdatamanager", config=served.profiles)
    assert result.returncode == 0, result.stderr
    assert secret not in result.stdout
    assert "password" in result.stdout
