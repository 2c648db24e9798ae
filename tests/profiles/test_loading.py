"""Reading profile files: valid shapes, and errors that name the file, line, profile and key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crmtui.backends.cmdatamanager.profile import CMDataManagerProfile
from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.errors import ConfigError
from crmtui.profiles import locations
from crmtui.profiles.loader import get_profile, load_config, validate_config
from crmtui.profiles.model import EnvRef

from .conftest import CANARY, WriteToml

VALID = """\
default_profile = "crm"
theme = "nord"

[profiles.crm]
vendor = "cmdatamanager"
base_url = "http://127.0.0.1:8765"
client_id = "sandbox-client"
client_secret = { env = "CRM_SECRET" }
username = "ada"
password = { command = "pass show crm" }
custom_entities = ["project"]

[profiles.ss]
vendor = "sharpspring"
base_url = "https://api.sharpspring.com/pubapi/v1/"
mode = "read-only"
production = true
account_id = { keyring = "crmtui/ss-account" }
secret_key = { env = "SS_SECRET" }
api_version = "v1"
"""


def test_reads_every_profile_with_its_references(write_toml: WriteToml) -> None:
    config = load_config(write_toml(VALID))
    assert config.default_profile == "crm"
    assert config.theme == "nord"
    crm = config.profiles["crm"]
    assert isinstance(crm, CMDataManagerProfile)
    assert crm.name == "crm"
    assert crm.mode == "confirm-writes"
    assert crm.client_secret == EnvRef(env="CRM_SECRET")
    assert crm.custom_entities == ["project"]
    ss = config.profiles["ss"]
    assert isinstance(ss, SharpSpringProfile)
    assert (ss.mode, ss.production, ss.api_version) == ("read-only", True, "v1")
    assert set(ss.secret_refs()) == {"account_id", "secret_key"}
    assert config.warnings == []


def test_get_profile_uses_the_name_then_the_default(write_toml: WriteToml) -> None:
    config = load_config(write_toml(VALID))
    assert get_profile(config).name == "crm"
    assert get_profile(config, "ss").name == "ss"
    with pytest.raises(ConfigError) as caught:
        get_profile(config, "cmr")
    assert "did you mean 'crm'" in caught.value.message
    assert "crm, ss" in caught.value.message


def test_get_profile_without_default_needs_a_name_when_several(write_toml: WriteToml) -> None:
    config = load_config(write_toml(VALID.replace('default_profile = "crm"\n', "")))
    with pytest.raises(ConfigError, match=r"--profile NAME .*crm, ss"):
        get_profile(config)


def test_the_only_profile_is_the_default(write_toml: WriteToml) -> None:
    text = VALID.split("[profiles.ss]")[0].replace('default_profile = "crm"\n', "")
    assert get_profile(load_config(write_toml(text))).name == "crm"


def test_unknown_vendor_lists_the_valid_ones(write_toml: WriteToml) -> None:
    path = write_toml('[profiles.z]\nvendor = "zoho"\nbase_url = "https://zoho.example"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = caught.value.message
    assert str(path) in message
    assert "'zoho'" in message and "profile 'z'" in message
    for vendor in ("cmdatamanager", "influencersoft", "leadsquared", "sharpspring"):
        assert vendor in message


def test_misspelt_key_names_file_line_profile_and_suggestion(write_toml: WriteToml) -> None:
    path = write_toml(
        """\
        [profiles.ss]
        vendor = "sharpspring"
        base_url = "https://api.sharpspring.com/pubapi/v1.2/"
        account_id = "123"
        secert_key = "x"
        """
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = caught.value.message
    assert f"{path}:5: profile 'ss', key 'secert_key': unknown key; did you mean 'secret_key'?" in (
        message
    )
    assert "key 'secret_key': missing" in message
    assert "pydantic" not in message and "errors.pydantic.dev" not in message


def test_malformed_toml_names_line_and_column(write_toml: WriteToml) -> None:
    path = write_toml('default_profile = "a"\n[profiles.a\nvendor = 1\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.message.startswith(f"{path}:2:")
    assert "not valid TOML" in caught.value.message


def test_validate_lists_every_problem_at_once(write_toml: WriteToml) -> None:
    path = write_toml(
        """\
        default_profile = "prod"
        themee = "x"

        [profiles.prod]
        vendor = "leadsquared"
        base_url = "http://api.leadsquared.com/v2/"
        access_key = "a"
        secret_key = { enf = "LSQ_SECRET" }
        mode = "yolo"
        """
    )
    problems = validate_config(path)
    text = "\n".join(str(p) for p in problems)
    assert [p.line for p in problems] == [2, 6, 8, 9]
    assert "did you mean 'theme'" in text
    assert "must use https" in text
    assert "did you mean 'env'" in text
    assert "'read-only', 'confirm-writes' or 'write'" in text


def test_missing_env_reference_is_reported_by_validate(
    write_toml: WriteToml, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRM_SECRET", raising=False)
    problems = validate_config(write_toml(VALID))
    assert [(p.profile, p.key) for p in problems] == [
        ("crm", "client_secret"),
        ("ss", "secret_key"),
    ]
    assert "CRM_SECRET is not set" in str(problems[0])
    monkeypatch.setenv("CRM_SECRET", "x")
    monkeypatch.setenv("SS_SECRET", "y")
    assert validate_config(write_toml(VALID)) == []  # commands and keyrings are not run


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8765", "http://localhost:9000/api", "http://[::1]:80", "https://x.example"],
)
def test_loopback_may_use_http(write_toml: WriteToml, url: str) -> None:
    text = (
        f'[profiles.a]\nvendor = "influencersoft"\nbase_url = "{url}"\nlogin = "l"\nrps_key = "k"\n'
    )
    assert load_config(write_toml(text)).profiles["a"].base_url == url


@pytest.mark.parametrize(
    "url", ["http://api.example.com", "http://10.0.0.1", "ftp://x.example", "https://u:p@x.example"]
)
def test_other_urls_must_be_https(write_toml: WriteToml, url: str) -> None:
    text = (
        f'[profiles.a]\nvendor = "influencersoft"\nbase_url = "{url}"\nlogin = "l"\nrps_key = "k"\n'
    )
    with pytest.raises(ConfigError, match="key 'base_url'"):
        load_config(write_toml(text))


def test_async_base_url_is_checked_too(write_toml: WriteToml) -> None:
    text = (
        '[profiles.l]\nvendor = "leadsquared"\nbase_url = "https://api.leadsquared.com"\n'
        'access_key = "a"\nsecret_key = "s"\nasync_base_url = "http://asyncapi.example"\n'
    )
    with pytest.raises(ConfigError, match="key 'async_base_url'"):
        load_config(write_toml(text))
    profile = load_config(write_toml(text.replace("http://", "https://"))).profiles["l"]
    assert isinstance(profile, LeadSquaredProfile)


def test_name_and_bad_default_are_refused(write_toml: WriteToml) -> None:
    path = write_toml(
        'default_profile = "crn"\n[profiles.crm]\nname = "other"\n'
        + VALID.split("[profiles.crm]\n")[1].split("[profiles.ss]")[0]
    )
    problems = validate_config(path)
    messages = [str(p) for p in problems]
    assert any("key 'name'" in m and "table name" in m for m in messages)
    assert any("key 'default_profile'" in m and "did you mean 'crm'" in m for m in messages)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match="crmtui profiles add"):
        load_config(path)
    empty = load_config(path, missing_ok=True)
    assert (dict(empty.profiles), empty.path) == ({}, path)


def test_config_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    explicit = tmp_path / "explicit.toml"
    monkeypatch.setenv("CRMTUI_CONFIG", str(tmp_path / "env.toml"))
    assert locations.config_path(explicit) == explicit
    assert locations.config_path() == tmp_path / "env.toml"
    monkeypatch.delenv("CRMTUI_CONFIG")
    assert locations.config_path() == locations.config_dir() / "profiles.toml"
    assert locations.config_dir().name == "crmtui"


def test_data_dir_is_private_and_state_paths_stay_inside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMTUI_DATA_DIR", str(tmp_path / "state" / "crmtui"))
    folder = locations.data_dir()
    assert folder.is_dir()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert locations.state_path("journal.jsonl") == folder / "journal.jsonl"
    for bad in ("../x", "a/b", "", ".."):
        with pytest.raises(ValueError):
            locations.state_path(bad)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_readable_file_with_literal_secrets_warns(write_toml: WriteToml) -> None:
    path = write_toml(VALID.replace('{ env = "SS_SECRET" }', f'"{CANARY}"'))
    assert load_config(path).warnings == []
    path.chmod(0o644)
    warnings = load_config(path).warnings
    assert len(warnings) == 1
    assert "ss.secret_key" in warnings[0] and "chmod 600" in warnings[0]
    assert "crm.client_id" in warnings[0]
    assert CANARY not in warnings[0]
    # only references (and a plain username): no warning however readable the file is
    refs_only = write_toml(
        VALID.replace('client_id = "sandbox-client"', 'client_id = { env = "I" }')
    )
    refs_only.chmod(0o644)
    assert load_config(refs_only).warnings == []


def test_literal_secrets_stay_out_of_reprs(write_toml: WriteToml) -> None:
    config = load_config(write_toml(VALID.replace('{ env = "SS_SECRET" }', f'"{CANARY}"')))
    assert CANARY not in repr(config)
    assert CANARY not in str(config.profiles["ss"])


def test_shapes_that_are_not_tables(write_toml: WriteToml) -> None:
    problems = validate_config(write_toml("keymap = 1\n[profiles]\nx = 3\n"))
    assert [(p.profile, p.key, p.message) for p in problems] == [
        (None, "keymap", "expected a table"),
        ("x", None, "expected a table"),
    ]


def test_sub_table_keys_are_located(write_toml: WriteToml) -> None:
    text = VALID.replace('secret_key = { env = "SS_SECRET" }\n', "")
    text += '\n[profiles.ss.secret_key]\nenv = "SS_SECRET"\nextra = 1\n'
    (problem,) = validate_config(write_toml(text))
    assert (problem.key, problem.line) == (
        "secret_key.extra",
        text.splitlines().index("[profiles.ss.secret_key]") + 1,
    )
