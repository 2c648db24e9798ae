"""A secret's problems (a literal, or one { env | command | keyring } reference), worded as
users have read them: the key, the reference's own key, and a "did you mean" for a misspelt one."""

from __future__ import annotations

import pytest

from .conftest import WriteToml
from .wording import HEAD_SS, Expected, is_, lsq, problems, secret, worded

CASES = [
    pytest.param(secret("5"), [(5, "ss", "secret_key", "<shape>")], id="secret_int"),
    pytest.param(
        secret('{ enb = "K" }'),
        [(5, "ss", "secret_key", "<shape>; did you mean 'env'?")],
        id="secret_typo",
    ),
    pytest.param(
        secret('{ env = "K", command = "x" }'),
        [(5, "ss", "secret_key", "<shape>")],
        id="secret_two",
    ),
    pytest.param(
        secret('{ env = "K", extra = 1 }'),
        [(5, "ss", "secret_key.extra", "unknown key")],
        id="secret_extra",
    ),
    pytest.param(
        secret('{ env = "" }'),
        [(5, "ss", "secret_key.env", "string should have at least 1 character")],
        id="secret_env_empty",
    ),
    pytest.param(
        secret("{ env = 5 }"),
        [(5, "ss", "secret_key.env", "input should be a valid string")],
        id="secret_env_int",
    ),
    pytest.param(
        secret('{ command = "" }'),
        [(5, "ss", "secret_key.command", "string should have at least 1 character")],
        id="secret_cmd_empty",
    ),
    pytest.param(
        secret('{ command = "   " }'),
        [(5, "ss", "secret_key.command", "the command is empty")],
        id="secret_cmd_blank",
    ),
    pytest.param(
        HEAD_SS.replace('{ env = "K" }', '{ command = "pass \'x" }'),
        [
            (
                5,
                "ss",
                "secret_key.command",
                "the command cannot be split into words (No closing quotation)",
            )
        ],
        id="secret_cmd_quote",
    ),
    pytest.param(
        secret("{ command = 3 }"),
        [(5, "ss", "secret_key.command", "input should be a valid string")],
        id="secret_cmd_int",
    ),
    pytest.param(
        secret('{ keyring = "nouser" }'),
        [(5, "ss", "secret_key.keyring", 'expected "service/user"')],
        id="secret_keyring_bad",
    ),
    pytest.param(
        secret("{ keyring = 1 }"),
        [(5, "ss", "secret_key.keyring", "input should be a valid string")],
        id="secret_keyring_int",
    ),
    pytest.param(
        HEAD_SS.replace('secret_key = { env = "K" }\n', "")
        + '\n[profiles.ss.secret_key]\nenv = "K"\nextra = 1\n',
        [(6, "ss", "secret_key.extra", "unknown key")],
        id="secret_subtable",
    ),
    pytest.param(secret("true"), [(5, "ss", "secret_key", "<shape>")], id="secret_bool"),
    pytest.param(lsq("api_key = 5"), [(6, "l", "api_key", "<shape>")], id="optional_secret_int"),
    pytest.param(
        lsq('api_key = { keyring = "x" }'),
        [(6, "l", "api_key.keyring", 'expected "service/user"')],
        id="optional_secret_bad",
    ),
    pytest.param(
        is_('api_secret = { env = "" }'),
        [(6, "i", "api_secret.env", "string should have at least 1 character")],
        id="is_api_secret",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_each_problem_is_worded_as_before(
    write_toml: WriteToml, monkeypatch: pytest.MonkeyPatch, text: str, expected: Expected
) -> None:
    for name in ("S", "P", "K"):
        monkeypatch.setenv(name, "x")
    assert problems(write_toml(text)) == worded(expected)
