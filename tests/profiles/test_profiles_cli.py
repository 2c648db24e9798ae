"""`crmtui profiles list | show | validate | add`, as a user runs them."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crmtui.cli import profiles_cmd
from crmtui.errors import ConfigError, CrmError, UsageError
from crmtui.profiles.loader import load_config

from .conftest import CANARY, WriteToml

FILE = f"""\
default_profile = "crm"

[profiles.crm]
vendor = "cmdatamanager"
base_url = "http://127.0.0.1:8765"
label = "Sandbox"
client_id = "{CANARY}-id"
client_secret = "{CANARY}"
username = "ada"
password = {{ env = "CRM_PASSWORD" }}

[profiles.ss]
vendor = "sharpspring"
base_url = "https://api.sharpspring.com/pubapi/v1.2/"
production = true
account_id = {{ command = "pass show ss/account" }}
secret_key = {{ keyring = "crmtui/ss" }}
"""


def run(config: Path, *argv: str, profile: str | None = None) -> int:
    """Parse `crmtui profiles ARGV` the way main.py does and run the handler."""
    parser = argparse.ArgumentParser(prog="crmtui")
    profiles_cmd.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["profiles", *argv])
    args.config, args.profile = config, profile
    code: int = args.func(args)
    return code


def test_list_marks_the_default(write_toml: WriteToml, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(write_toml(FILE), "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("* crm ") and "cmdatamanager" in lines[0] and "Sandbox" in lines[0]
    assert lines[1].startswith("  ss ") and "PRODUCTION" in lines[1]


def test_list_without_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path / "none.toml", "list") == 0
    assert "no profiles in" in capsys.readouterr().out


def test_show_masks_literals_and_shows_references(
    write_toml: WriteToml, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_toml(FILE)
    assert run(path, "show", "crm") == 0
    assert run(path, "show", profile="ss") == 0  # --profile works too
    out, err = capsys.readouterr()
    assert CANARY not in out + err
    assert 'client_secret = "***"' in out and 'client_id = "***"' in out
    assert 'password = { env = "CRM_PASSWORD" }' in out
    assert 'username = "ada"' in out
    assert 'secret_key = { keyring = "crmtui/ss" }' in out
    assert "# the default profile\n[profiles.crm]" in out


def test_show_unknown_profile_suggests(write_toml: WriteToml) -> None:
    with pytest.raises(ConfigError, match="did you mean 'crm'"):
        run(write_toml(FILE), "show", "cmr")


def test_validate_prints_every_problem_and_exits_2(
    write_toml: WriteToml, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRM_PASSWORD", raising=False)
    broken = FILE.replace("production = true", "productoin = true").replace('"http://', '"ftp://')
    assert run(write_toml(broken), "validate") == 2
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert "key 'base_url'" in out[0]
    assert "key 'productoin': unknown key; did you mean 'production'?" in out[1]
    fixed = write_toml(FILE)
    assert run(fixed, "validate") == 2  # the env reference is not set
    assert "CRM_PASSWORD is not set" in capsys.readouterr().out
    monkeypatch.setenv("CRM_PASSWORD", "x")
    assert run(fixed, "validate") == 0
    assert "no problems found" in capsys.readouterr().out


def test_add_writes_references_and_keeps_the_rest(
    write_toml: WriteToml, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_toml(FILE)
    code = run(
        path,
        "add",
        "lsq",
        "--vendor",
        "leadsquared",
        "--base-url",
        "https://api.leadsquared.com/v2/",
        "--mode",
        "read-only",
        "--secret-env",
        "access_key=LSQ_ACCESS",
        "--secret-command",
        "secret_key=pass show lsq",
        "--set",
        "async_captures=true",
        "--default",
    )
    assert code == 0
    assert "added profile 'lsq'" in capsys.readouterr().out
    config = load_config(path)
    assert config.default_profile == "lsq"
    assert set(config.profiles) == {"crm", "ss", "lsq"}
    assert config.profiles["crm"].secret_refs()["client_secret"] == CANARY  # kept as it was
    assert config.profiles["lsq"].mode == "read-only"
    text = path.read_text(encoding="utf-8")
    assert 'secret_key = { command = "pass show lsq" }' in text
    assert path.stat().st_mode & 0o777 == 0o600


def test_add_refuses_a_literal_secret_unless_insisted(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    base = ["add", "is", "--vendor", "influencersoft", "--base-url", "https://x.example"]
    base += ["--set", "login=me", "--set", f"rps_key={CANARY}"]
    with pytest.raises(UsageError) as caught:
        run(path, *base)
    assert "--secret-env rps_key=VAR" in caught.value.message
    assert CANARY not in caught.value.message
    assert not path.exists()
    assert run(path, *base, "--literal") == 0
    assert load_config(path).profiles["is"].secret_refs() == {"rps_key": CANARY}


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        (["--set", "login"], "--set expects KEY=VALUE"),
        (["--set", "login=a", "--set", "login=b"], "given twice"),
        (["--set", "login=a", "--secret-env", "rps_kye=X"], "did you mean 'rps_key'"),
    ],
)
def test_add_usage_errors(tmp_path: Path, extra: list[str], error: str) -> None:
    argv = ["add", "is", "--vendor", "influencersoft", "--base-url", "https://x.example", *extra]
    with pytest.raises(CrmError, match=error) as caught:
        run(tmp_path / "p.toml", *argv)
    assert caught.value.exit_code == 2


def test_through_the_real_command_line(write_toml: WriteToml) -> None:
    path = write_toml(FILE)
    done = subprocess.run(
        [sys.executable, "-m", "crmtui", "profiles", "show", "crm", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert 'client_secret = "***"' in done.stdout
    assert CANARY not in done.stdout + done.stderr
