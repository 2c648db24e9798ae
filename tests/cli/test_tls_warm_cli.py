"""A command over a profile loads the CA bundle in a thread while it reads the profile, and its
session's client uses that context (not a second load on the event loop, before the first
request)."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from crmtui.cli.main import main
from crmtui.services import session as sessions

CONFIG = """\
[profiles.work]
vendor = "sharpspring"
base_url = "https://api.example.test"
account_id = "ACCT"
secret_key = "KEY"
"""


def _no_second_context(verify: object = True, **kwargs: object) -> ssl.SSLContext:
    if isinstance(verify, ssl.SSLContext):  # httpx passes a given context through
        return verify
    raise AssertionError("the CA bundle was loaded again, on the event loop")


def test_a_command_uses_the_context_built_while_it_read_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "profiles.toml"
    config.write_text(CONFIG, encoding="utf-8")
    config.chmod(0o600)
    monkeypatch.setattr(sessions, "_tls", None)
    monkeypatch.setattr("httpx._transports.default.create_ssl_context", _no_second_context)
    code = main(["--config", str(config), "-p", "work", "entities"])
    assert code == 0, capsys.readouterr().err
    assert "lead" in capsys.readouterr().out
    assert sessions._tls is not None
