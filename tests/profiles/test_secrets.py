"""Secret references: env, command and keyring, with errors that name the key, never the value."""

from __future__ import annotations

import shlex
import sys
import threading
import types
from pathlib import Path

import pytest

from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.errors import ConfigError
from crmtui.profiles.loader import check
from crmtui.profiles.model import CommandRef, EnvRef, KeyringRef
from crmtui.profiles.secrets import masked, resolve, resolve_profile, was_resolved

from .conftest import CANARY

WHERE = "profile 'prod', key 'secret_key'"


def python(code: str) -> str:
    """A command line running `code` with this interpreter."""
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}"


def test_literal_is_returned_as_is() -> None:
    assert resolve("plain", where=WHERE) == "plain"


def test_env_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMTUI_TEST_SECRET", CANARY)
    assert resolve(EnvRef(env="CRMTUI_TEST_SECRET"), where=WHERE) == CANARY
    assert was_resolved(CANARY)


@pytest.mark.parametrize("value", [None, ""])
def test_missing_env_names_profile_key_and_variable(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("CRMTUI_TEST_MISSING", raising=False)
    else:
        monkeypatch.setenv("CRMTUI_TEST_MISSING", value)
    with pytest.raises(ConfigError) as caught:
        resolve(EnvRef(env="CRMTUI_TEST_MISSING"), where=WHERE)
    assert caught.value.message.startswith(f"{WHERE}: environment variable CRMTUI_TEST_MISSING")


def test_command_output_is_stripped() -> None:
    ref = CommandRef(command=python(f"print('  {CANARY}  ')"))
    assert resolve(ref, where=WHERE) == CANARY


def test_failing_command_names_the_key_not_the_output() -> None:
    code = (
        f"import sys; print('{CANARY}'); sys.stderr.write('gpg: decryption failed\\n'); sys.exit(3)"
    )
    with pytest.raises(ConfigError) as caught:
        resolve(CommandRef(command=python(code)), where=WHERE)
    message = caught.value.message
    assert message.startswith(WHERE)
    assert "exit status 3" in message and "decryption failed" not in message  # stderr not shown
    assert CANARY not in message


def test_unknown_command() -> None:
    with pytest.raises(ConfigError, match="command not found: no-such-crmtui-helper"):
        resolve(CommandRef(command="no-such-crmtui-helper show x"), where=WHERE)


def test_silent_command_is_an_error() -> None:
    with pytest.raises(ConfigError, match="printed nothing"):
        resolve(CommandRef(command=python("pass")), where=WHERE)


def test_slow_command_times_out() -> None:
    ref = CommandRef(command=python("import time; time.sleep(10)"))
    with pytest.raises(ConfigError, match=r"did not finish in 0\.5 s"):
        resolve(ref, where=WHERE, command_timeout=0.5)


def test_keyring_missing_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # makes `import keyring` fail
    with pytest.raises(ConfigError) as caught:
        resolve(KeyringRef(keyring="crmtui/ada"), where=WHERE)
    assert "crmtui[keyring]" in caught.value.message
    assert "{ env = " in caught.value.message


def fake_keyring(get_password: object) -> types.ModuleType:
    module = types.ModuleType("keyring")
    module.get_password = get_password  # type: ignore[attr-defined]
    return module


def test_keyring_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, str]] = []

    def get_password(service: str, user: str) -> str | None:
        asked.append((service, user))
        return CANARY if user == "ada" else None

    monkeypatch.setitem(sys.modules, "keyring", fake_keyring(get_password))
    assert resolve(KeyringRef(keyring="crm/eu/ada"), where=WHERE) == CANARY
    assert asked == [("crm/eu", "ada")]
    with pytest.raises(ConfigError, match="no keyring entry for service 'crm', user 'bob'"):
        resolve(KeyringRef(keyring="crm/bob"), where=WHERE)


def test_hung_keyring_gives_up_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def get_password(service: str, user: str) -> str:
        release.wait(10)
        return "late"

    monkeypatch.setitem(sys.modules, "keyring", fake_keyring(get_password))
    try:
        with pytest.raises(ConfigError, match=r"did not answer in 0\.2 s"):
            resolve(KeyringRef(keyring="crm/ada"), where=WHERE, keyring_timeout=0.2)
    finally:
        release.set()


def test_failing_keyring_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    def get_password(service: str, user: str) -> str:
        raise RuntimeError("no session bus")

    monkeypatch.setitem(sys.modules, "keyring", fake_keyring(get_password))
    with pytest.raises(ConfigError, match="RuntimeError: no session bus"):
        resolve(KeyringRef(keyring="crm/ada"), where=WHERE)


def sharpspring(**secrets: object) -> SharpSpringProfile:
    return SharpSpringProfile.model_validate(
        {"name": "prod", "vendor": "sharpspring", "base_url": "https://x.example", **secrets}
    )


def test_resolve_profile_resolves_every_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SS_SECRET", CANARY)
    profile = sharpspring(account_id="123", secret_key={"env": "SS_SECRET"})
    assert resolve_profile(profile) == {"account_id": "123", "secret_key": CANARY}


def test_resolve_profile_error_names_profile_and_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SS_SECRET", raising=False)
    profile = sharpspring(account_id="123", secret_key={"env": "SS_SECRET"})
    with pytest.raises(ConfigError, match="profile 'prod', key 'secret_key': environment"):
        resolve_profile(profile)


def test_masked_hides_literals_and_shows_references() -> None:
    profile = sharpspring(account_id=CANARY, secret_key={"command": "pass show ss"})
    view = masked(profile)
    assert view["account_id"] == "***"
    assert view["secret_key"] == {"command": "pass show ss"}
    assert CANARY not in repr(view)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ({"env": "A", "command": "b"}, "expected a string or one of"),
        ({"env": "A", "x": 1}, "key 'secret_key.x': unknown key"),
        ({"keyring": "no-slash"}, 'expected "service/user"'),
        ({"command": "pass 'unbalanced"}, "cannot be split"),
        (12, "expected a string or one of"),
    ],
)
def test_malformed_references_are_refused(value: object, error: str) -> None:
    table = {"vendor": "sharpspring", "base_url": "https://x.example", "account_id": "1"}
    _, problems = check(Path("p.toml"), "", {"profiles": {"prod": {**table, "secret_key": value}}})
    assert any(error in str(p) for p in problems), problems
