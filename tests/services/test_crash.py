"""An unexpected error shows a short message and writes a redacted crash file, never locals."""

from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Sequence
from pathlib import Path

import pytest

from crmtui.cli import errors as cli_errors
from crmtui.cli import main as cli_main
from crmtui.http.redact import Redactor
from crmtui.services.crash import crash_text

SECRET = "crash-CANARY-5e1f0a77"


def failing_with_a_secret_in_scope() -> None:
    password = SECRET  # a local that a traceback with show_locals would print
    raise KeyError("Email" if password else "")


def test_the_report_names_frames_but_holds_no_locals() -> None:
    with pytest.raises(KeyError) as caught:
        failing_with_a_secret_in_scope()
    text = crash_text(caught.value)
    assert "failing_with_a_secret_in_scope" in text and "KeyError" in text
    assert SECRET not in text and "password" not in text


def test_the_cli_prints_one_line_and_writes_a_private_crash_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    cli_errors.remember(Redactor([SECRET]))

    def broken(args: argparse.Namespace) -> int:
        token = SECRET
        raise RuntimeError(f"vendor said {token}")

    parser = cli_main.build_parser()
    monkeypatch.setattr(cli_main, "build_parser", lambda **_: _with_func(parser, broken))
    code = cli_main.main(["outbox"])
    err = capsys.readouterr().err
    assert code == 70
    assert "unexpected error (RuntimeError)" in err and "Traceback" not in err
    assert SECRET not in err
    (crash,) = (isolated_home / "data").glob("crash-*.txt")
    assert stat.S_IMODE(os.stat(crash).st_mode) == 0o600
    body = crash.read_text()
    assert "RuntimeError: vendor said" in body and "broken" in body
    assert SECRET not in body and "token" not in body


def _with_func(parser: argparse.ArgumentParser, func: object) -> argparse.ArgumentParser:
    real = parser.parse_args

    def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
        args = real(argv)
        args.func = func
        return args

    parser.parse_args = parse  # type: ignore[assignment,method-assign]
    return parser
