"""Writing profiles: validated, atomic, mode 0600, other profiles intact, no resolved secrets."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

from crmtui.errors import ConfigError
from crmtui.profiles.loader import load_config
from crmtui.profiles.model import EnvRef
from crmtui.profiles.secrets import resolve
from crmtui.profiles.writer import add_profile

from .conftest import CANARY, WriteToml

EXISTING = f"""\
default_profile = "old"
theme = "nord"

[keymap]
quit = "ctrl+q"

[profiles.old]
vendor = "influencersoft"
base_url = "https://old.example"
login = "me"
rps_key = "{CANARY}"
mode = "read-only"

[profiles.other]
vendor = "sharpspring"
base_url = "https://api.sharpspring.com/pubapi/v1.2/"
account_id = {{ command = "pass show ss/account" }}
secret_key = {{ env = "SS_SECRET" }}
"""

NEW = {
    "vendor": "leadsquared",
    "base_url": "https://api-in21.leadsquared.com/v2/",
    "access_key": {"env": "LSQ_ACCESS"},
    "secret_key": EnvRef(env="LSQ_SECRET"),
    "timeout": "12",
    "async_captures": "true",
}


def parsed(path: Path) -> dict[str, object]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_creates_a_private_file_with_references(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "profiles.toml"
    add_profile(path, "lsq", NEW, make_default=True)
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text(encoding="utf-8")
    assert 'secret_key = { env = "LSQ_SECRET" }' in text
    config = load_config(path)
    assert config.default_profile == "lsq"
    profile = config.profiles["lsq"]
    assert (profile.timeout, getattr(profile, "async_captures", None)) == (12.0, True)
    assert parsed(path)["profiles"] == {
        "lsq": {
            "vendor": "leadsquared",
            "base_url": "https://api-in21.leadsquared.com/v2/",
            "access_key": {"env": "LSQ_ACCESS"},
            "secret_key": {"env": "LSQ_SECRET"},
            "timeout": 12.0,
            "async_captures": True,
        }
    }


def test_keeps_other_profiles_and_settings_intact(write_toml: WriteToml) -> None:
    path = write_toml(EXISTING)
    before = parsed(path)
    add_profile(path, "lsq", NEW)
    after = parsed(path)
    assert after["profiles"]["lsq"]["vendor"] == "leadsquared"  # type: ignore[index]
    del after["profiles"]["lsq"]  # type: ignore[attr-defined]
    assert after == before
    assert path.stat().st_mode & 0o777 == 0o600


def test_make_default_replaces_the_old_default(write_toml: WriteToml) -> None:
    path = write_toml(EXISTING)
    add_profile(path, "lsq", NEW, make_default=True)
    assert load_config(path).default_profile == "lsq"


def test_existing_name_needs_overwrite(write_toml: WriteToml) -> None:
    path = write_toml(EXISTING)
    with pytest.raises(ConfigError, match="'old' already exists"):
        add_profile(path, "old", NEW)
    add_profile(path, "old", NEW, overwrite=True)
    assert load_config(path).profiles["old"].vendor == "leadsquared"


def test_invalid_profile_is_not_written(write_toml: WriteToml) -> None:
    path = write_toml(EXISTING)
    before = path.read_bytes()
    bad = {**NEW, "base_url": "http://api.example.com", "secert_key": "x"}
    with pytest.raises(ConfigError) as caught:
        add_profile(path, "lsq", bad)
    assert "must use https" in caught.value.message
    assert "did you mean 'secret_key'" in caught.value.message
    assert path.read_bytes() == before


def test_refuses_a_value_resolved_from_a_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "resolved-" + CANARY
    monkeypatch.setenv("ORIGINAL", secret)
    resolve(EnvRef(env="ORIGINAL"), where="test")
    monkeypatch.delenv("ORIGINAL")
    path = tmp_path / "profiles.toml"
    with pytest.raises(ConfigError) as caught:
        add_profile(path, "lsq", {**NEW, "secret_key": secret})
    assert "resolved from a secret reference" in caught.value.message
    assert secret not in caught.value.message
    assert not path.exists()
    add_profile(path, "lsq", {**NEW, "secret_key": secret}, literal=True)  # the user insists
    assert load_config(path).profiles["lsq"].secret_refs()["secret_key"] == secret


def test_refuses_a_value_held_by_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    value = "env-only-" + CANARY  # never resolved in this process
    monkeypatch.setenv("LSQ_SECRET_VALUE", value)
    with pytest.raises(
        ConfigError, match=re.escape('write { env = "LSQ_SECRET_VALUE" } instead')
    ) as caught:
        add_profile(tmp_path / "p.toml", "lsq", {**NEW, "secret_key": value})
    assert value not in caught.value.message


def test_failed_write_leaves_the_old_file_and_no_temp_file(
    write_toml: WriteToml, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_toml(EXISTING)
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ConfigError, match="No space left on device"):
        add_profile(path, "lsq", NEW)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["profiles.toml"]


def test_comments_are_kept_in_a_backup(write_toml: WriteToml) -> None:
    path = write_toml("# my production account\n" + EXISTING)
    backup = add_profile(path, "lsq", NEW)
    assert backup == path.with_name("profiles.toml.bak")
    assert backup.read_text(encoding="utf-8").startswith("# my production account")
    assert backup.stat().st_mode & 0o777 == 0o600
    # crmtui's own header is not a user comment: no new backup the next time
    backup.unlink()
    assert add_profile(path, "lsq2", NEW) is None


def test_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "profiles.toml"
    real.parent.mkdir()
    add_profile(real, "a", NEW)
    link = tmp_path / "profiles.toml"
    link.symlink_to(real)
    add_profile(link, "b", NEW)
    assert link.is_symlink()
    assert set(load_config(real).profiles) == {"a", "b"}


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_rewrite_makes_a_readable_file_private(write_toml: WriteToml) -> None:
    path = write_toml(EXISTING)
    path.chmod(0o644)
    assert load_config(path).warnings  # literal rps_key in a readable file
    add_profile(path, "lsq", NEW)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_config(path).warnings == []
