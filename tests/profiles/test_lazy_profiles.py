"""Opening one profile validates that one: another's problem shows when it is opened, not before."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtui.errors import ConfigError
from crmtui.profiles import lazy
from crmtui.profiles.loader import load_config, validate_config

GOOD = """\
default_profile = "crm"

[profiles.crm]
vendor = "cmdatamanager"
base_url = "https://crm.example.test"
client_id = "id"
client_secret = { env = "CRM_SECRET" }
username = "u@example.test"
password = { env = "CRM_PASSWORD" }
"""
BROKEN_OTHER = (
    GOOD
    + """
[profiles.ss]
vendor = "sharpspring"
base_url = "https://api.example.test"
account_id = "acct"
secrte_key = { env = "SS_KEY" }
"""
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_the_chosen_profile_opens_while_another_is_broken(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN_OTHER)
    config = load_config(path, lazy=True)
    assert config.profiles["crm"].vendor == "cmdatamanager"
    assert list(config.profiles) == ["crm", "ss"]
    with pytest.raises(ConfigError) as raised:
        config.profiles["ss"]  # opening it, e.g. by switching profile
    message = str(raised.value)
    assert "profile 'ss'" in message and "secrte_key" in message
    assert "did you mean 'secret_key'" in message
    assert f"{path}:15: profile 'ss', key 'secrte_key'" in message  # its line


def test_every_profile_is_checked_when_not_lazy(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN_OTHER)
    with pytest.raises(ConfigError, match="secrte_key"):
        load_config(path)
    assert any("secrte_key" in str(p) for p in validate_config(path))


def test_the_chosen_profile_is_checked_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN_OTHER)
    with pytest.raises(ConfigError, match="secrte_key"):
        load_config(path, lazy=True, profile="ss")


def test_an_unknown_vendor_anywhere_stops_loading(tmp_path: Path) -> None:
    text = GOOD + '\n[profiles.x]\nvendor = "nosuch"\nbase_url = "https://x.example.test"\n'
    with pytest.raises(ConfigError, match="unknown vendor 'nosuch'; valid vendors: cmdatamanager"):
        load_config(write(tmp_path, text), lazy=True)


def test_a_lazy_profile_is_validated_once(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), lazy=True)
    assert config.profiles["crm"] is config.profiles["crm"]


def test_the_demo_lists_every_vendor_yet_opens_without_the_installed_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Installed vendors' demo profiles appear once the profiles are listed (or one is asked
    for by name); opening the default one reads no package metadata."""
    from crmtui.profiles.loader import get_profile
    from crmtui.sandbox import vendors
    from crmtui.services.demo import open_demo

    installed_read: list[bool] = []
    builtin = vendors.names(installed=False)

    def names(*, installed: bool = True) -> tuple[str, ...]:
        if installed:
            installed_read.append(True)
            return (*builtin, "acme")  # as if a package added vendor "acme" with a sandbox
        return builtin

    monkeypatch.setattr(vendors, "names", names)
    demo = open_demo(data_dir=tmp_path)
    try:
        assert get_profile(demo.config).name == "demo-cmdatamanager"
        assert installed_read == []
        listed = list(lazy.names(demo.config.profiles))
        assert installed_read == [True]
        assert listed == [f"demo-{vendor}" for vendor in (*builtin, "acme")]
        assert "demo-acme" in demo.transports  # its sandbox is built when first used
    finally:
        demo.close()


def test_a_later_vendor_is_found_by_name_before_any_listing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from crmtui.sandbox import vendors
    from crmtui.services.demo import open_demo

    builtin = vendors.names(installed=False)
    monkeypatch.setattr(
        vendors, "names", lambda *, installed=True: (*builtin, "acme") if installed else builtin
    )
    demo = open_demo(data_dir=tmp_path)
    try:
        assert "demo-acme" in demo.config.profiles
    finally:
        demo.close()
