"""Every shape problem a profile file can have, worded as users have read them (line, profile,
key, message): the messages pydantic's errors gave, pinned since the profile models became
crmtui's own. Also the values read leniently, as before ("5" seconds, "yes")."""

from __future__ import annotations

import pytest

from crmtui.profiles.loader import load_config

from .conftest import WriteToml
from .wording import HEAD_IS, HEAD_SS, Expected, crm, lsq, problems, ss, url, worded

CASES = [
    pytest.param(
        'default_profile = 3\ntheme = true\nkeymap = { a = 1, b = "x" }\n'
        'mappings = { "a->b" = "x" }\n' + HEAD_SS,
        [
            (1, None, "default_profile", "input should be a valid string"),
            (2, None, "theme", "input should be a valid string"),
            (3, None, "keymap.a", "input should be a valid string"),
            (4, None, "mappings.a->b", "expected a table"),
        ],
        id="top_types",
    ),
    pytest.param(
        'mappings = { "a->b" = { x = 1 } }\n' + HEAD_SS,
        [(1, None, "mappings.a->b.x", "input should be a valid string")],
        id="mappings_inner",
    ),
    pytest.param(
        "profiles = 3\n", [(1, None, "profiles", "expected a table")], id="profiles_not_table"
    ),
    pytest.param(
        'themes = "x"\npath = "x"\nwarnings = []\n' + HEAD_SS,
        [
            (2, None, "path", "unknown key"),
            (3, None, "warnings", "unknown key; did you mean 'mappings'?"),
            (1, None, "themes", "unknown key; did you mean 'theme'?"),
        ],
        id="top_unknown",
    ),
    pytest.param(
        '[profiles.a]\nvendr = "sharpspring"\nbase_url = "https://x.example"\n',
        [(1, "a", "vendor", "missing (one of <vendors>); found 'vendr', did you mean 'vendor'?")],
        id="missing_vendor",
    ),
    pytest.param(
        '[profiles.a]\nbase_url = "https://x.example"\n',
        [(1, "a", "vendor", "missing (one of <vendors>)")],
        id="missing_vendor_no_near",
    ),
    pytest.param(
        '[profiles.a]\nvendor = 3\nbase_url = "https://x.example"\n',
        [(2, "a", "vendor", "unknown vendor '3'; valid vendors: <vendors>")],
        id="vendor_not_str",
    ),
    pytest.param(
        '[profiles.a]\nvendor = "zoho"\n',
        [(2, "a", "vendor", "unknown vendor 'zoho'; valid vendors: <vendors>")],
        id="unknown_vendor",
    ),
    pytest.param(
        '[profiles]\na = "x"\n', [(None, "a", None, "expected a table")], id="profile_not_table"
    ),
    pytest.param(
        '[profiles.a]\nvendor = "cmdatamanager"\n',
        [
            (1, "a", "base_url", "missing (this key is required)"),
            (1, "a", "client_id", "missing (this key is required)"),
            (1, "a", "client_secret", "missing (this key is required)"),
            (1, "a", "username", "missing (this key is required)"),
            (1, "a", "password", "missing (this key is required)"),
        ],
        id="missing_everything",
    ),
    pytest.param(
        HEAD_SS.replace('"https://ss.example.test"', "5"),
        [(3, "ss", "base_url", "input should be a valid string")],
        id="base_url_types",
    ),
    pytest.param(
        HEAD_SS.replace("https://ss", "http://ss"),
        [(3, "ss", "base_url", "<https>")],
        id="base_url_http",
    ),
    pytest.param(
        HEAD_SS.replace("https://ss", "https://u:p@ss"),
        [
            (
                3,
                "ss",
                "base_url",
                "credentials do not belong in the URL; use the profile's secret keys",
            )
        ],
        id="base_url_creds",
    ),
    pytest.param(
        url("ftp://x"),
        [(3, "ss", "base_url", "expected an https:// URL with a host name")],
        id="base_url_scheme",
    ),
    pytest.param(
        ss('mode = "yolo"'),
        [(6, "ss", "mode", "input should be 'read-only', 'confirm-writes' or 'write'")],
        id="mode_bad",
    ),
    pytest.param(
        ss("mode = 1"),
        [(6, "ss", "mode", "input should be 'read-only', 'confirm-writes' or 'write'")],
        id="mode_int",
    ),
    pytest.param(
        ss('production = "maybe"'),
        [(6, "ss", "production", "input should be a valid boolean, unable to interpret input")],
        id="production_bad",
    ),
    pytest.param(
        ss("production = 0.5"),
        [(6, "ss", "production", "input should be a valid boolean")],
        id="production_float",
    ),
    pytest.param(
        ss("low_bandwidth = [1]"),
        [(6, "ss", "low_bandwidth", "input should be a valid boolean")],
        id="low_bw_array",
    ),
    pytest.param(
        ss("timeout = 0"),
        [(6, "ss", "timeout", "input should be greater than 0")],
        id="timeout_zero",
    ),
    pytest.param(
        ss("timeout = 601"),
        [(6, "ss", "timeout", "input should be less than or equal to 600")],
        id="timeout_big",
    ),
    pytest.param(
        ss("timeout = inf"),
        [(6, "ss", "timeout", "input should be less than or equal to 600")],
        id="timeout_inf",
    ),
    pytest.param(
        ss("timeout = -inf"),
        [(6, "ss", "timeout", "input should be greater than 0")],
        id="timeout_ninf",
    ),
    pytest.param(
        ss("timeout = nan"),
        [(6, "ss", "timeout", "input should be less than or equal to 600")],
        id="timeout_nan",
    ),
    pytest.param(
        ss('timeout = "abc"'),
        [
            (
                6,
                "ss",
                "timeout",
                "input should be a valid number, unable to parse string as a number",
            )
        ],
        id="timeout_str",
    ),
    pytest.param(
        ss("timeout = {}"),
        [(6, "ss", "timeout", "input should be a valid number")],
        id="timeout_table",
    ),
    pytest.param(
        ss('api_version = "v3"'),
        [(6, "ss", "api_version", "input should be 'v1' or 'v1.2'")],
        id="api_version",
    ),
    pytest.param(
        lsq('async_base_url = "http://a.example"'),
        [(6, "l", "async_base_url", "<https>")],
        id="async_url",
    ),
    pytest.param(
        lsq("async_base_url = 5"),
        [(6, "l", "async_base_url", "input should be a valid string")],
        id="async_url_int",
    ),
    pytest.param(
        lsq('async_captures = "x"'),
        [(6, "l", "async_captures", "input should be a valid boolean, unable to interpret input")],
        id="async_captures",
    ),
    pytest.param(
        crm('custom_entities = "x"'),
        [(8, "crm", "custom_entities", "input should be a valid list")],
        id="custom_entities_str",
    ),
    pytest.param(
        crm('custom_entities = [1, "b", true]'),
        [
            (8, "crm", "custom_entities.0", "input should be a valid string"),
            (8, "crm", "custom_entities.2", "input should be a valid string"),
        ],
        id="custom_entities_items",
    ),
    pytest.param(
        crm("api_version = 1"),
        [(8, "crm", "api_version", "input should be a valid string")],
        id="api_version_int",
    ),
    pytest.param(
        crm('keep_token = "nope"'),
        [(8, "crm", "keep_token", "input should be a valid boolean, unable to interpret input")],
        id="keep_token",
    ),
    pytest.param(
        HEAD_IS.replace('"lg"', "3"),
        [(4, "i", "login", "input should be a valid string")],
        id="is_login_int",
    ),
    pytest.param(
        ss("label = { a = 1 }"),
        [(6, "ss", "label", "input should be a valid string")],
        id="extra_in_sub_of_sub",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_each_problem_is_worded_as_before(
    write_toml: WriteToml, monkeypatch: pytest.MonkeyPatch, text: str, expected: Expected
) -> None:
    for name in ("S", "P", "K"):
        monkeypatch.setenv(name, "x")
    assert problems(write_toml(text)) == worded(expected)


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ('timeout = "5"', "timeout", 5.0),
        ("timeout = true", "timeout", 1.0),
        ("timeout = 12", "timeout", 12.0),
        ('production = "yes"', "production", True),
        ('mirror = "on"', "mirror", True),
        ('low_bandwidth = "0"', "low_bandwidth", False),
        ("production = 1", "production", True),
        ('api_version = "v1"', "api_version", "v1"),
    ],
)
def test_values_are_read_leniently(
    write_toml: WriteToml, line: str, key: str, value: object
) -> None:
    profile = load_config(write_toml(ss(line))).profiles["ss"]
    assert getattr(profile, key) == value
    assert type(getattr(profile, key)) is type(value)


def test_a_url_is_trimmed_and_defaults_fill_the_rest(write_toml: WriteToml) -> None:
    profile = load_config(write_toml(url("  https://ss.example.test/v1  "))).profiles["ss"]
    assert profile.base_url == "https://ss.example.test/v1"
    assert (profile.mode, profile.timeout, profile.label) == ("confirm-writes", 30.0, None)
