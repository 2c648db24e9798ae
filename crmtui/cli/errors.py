"""Errors as one clear line on stderr and an exit code; never a traceback with secrets in it."""

from __future__ import annotations

import argparse
import sys

from crmtui.errors import CrmError, ValidationFailed, describe
from crmtui.http.redact import Redactor

# Every redactor made in this process registers itself here, so a message is masked whatever
# session produced it.
_ACTIVE: list[Redactor] = []


def remember(redactor: Redactor) -> None:
    """Mask this redactor's secrets in every error this process prints."""
    _ACTIVE.append(redactor)


def mask(text: str) -> str:
    """`text` with every known secret masked."""
    for redactor in _ACTIVE:
        text = redactor.text(text)
    return text


def report_error(exc: BaseException) -> int:
    """Print `error: title: message` (and per-field lines) to stderr; return the exit code."""
    info = describe(exc)
    print(mask(f"error: {info.title}: {info.message}"), file=sys.stderr)
    if isinstance(exc, ValidationFailed) and len(exc.field_errors) > 1:
        for name, why in exc.field_errors.items():
            print(mask(f"  {name}: {why}"), file=sys.stderr)
    if isinstance(exc, CrmError):
        return exc.exit_code
    return 1


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more (`--limit -1` is refused, not ignored)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value
