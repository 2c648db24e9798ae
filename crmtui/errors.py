"""Typed errors shared by every layer, each with a user-facing title, message and exit code.

They live at the top of the package (not in `backends/`) because the HTTP layer raises some of
them too, and the data flow is one-way: backends import http, never the reverse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


class CrmError(Exception):
    """Base of every error crmtui shows to a user."""

    title = "Error"
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(CrmError):
    """The user asked for something that does not make sense (unknown entity, bad option)."""

    title = "Invalid request"
    exit_code = 2


class ConfigError(CrmError):
    """A profile file, a profile or one of its keys is wrong."""

    title = "Configuration problem"
    exit_code = 2


class ValidationFailed(CrmError):
    """Values were refused, before a request (by the model) or by the vendor; per field."""

    title = "Validation failed"
    exit_code = 2

    def __init__(self, field_errors: Mapping[str, str], message: str | None = None) -> None:
        self.field_errors = dict(field_errors)
        text = message or "; ".join(f"{name}: {why}" for name, why in self.field_errors.items())
        super().__init__(text or "validation failed")


class AuthError(CrmError):
    """The vendor refused the credentials (or a token could not be obtained)."""

    title = "Authentication failed"
    exit_code = 3


class NotFound(CrmError):
    """The record, entity or endpoint does not exist."""

    title = "Not found"
    exit_code = 4


class RateLimited(CrmError):
    """The vendor's rate limit or quota is spent; `retry_after` seconds until it resets."""

    title = "Rate limited"
    exit_code = 5

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class VendorError(CrmError):
    """The vendor answered with an error of its own (code and message)."""

    title = "Vendor error"
    exit_code = 5

    def __init__(self, message: str, code: str | int | None = None, status: int | None = None):
        super().__init__(message if code is None else f"{message} (code {code})")
        self.code = code
        self.status = status
        if status is not None and is_refusal(status):
            # The vendor understood and refused what was sent: fix the request, not the network.
            self.title = "Refused by the vendor"
            self.exit_code = ValidationFailed.exit_code


def is_refusal(status: int) -> bool:
    """Whether an HTTP status says the request itself was wrong (400, 409, 422, ...), as opposed
    to auth (401, 403), a missing thing (404), a timeout (408) or a rate limit (429)."""
    return 400 <= status < 500 and status not in (401, 403, 404, 408, 429)


class TransportError(CrmError):
    """The vendor could not be reached, timed out, or sent something that is not its protocol."""

    title = "Vendor unavailable"
    exit_code = 5


class UnknownOutcome(TransportError):
    """A write may or may not have applied (its answer was lost); reconcile before resending."""

    title = "Outcome unknown"


class StorageError(CrmError):
    """A file crmtui keeps (journal, results, history) could not be written: read-only, full or
    missing data dir. The message names the path and says what was kept."""

    title = "Cannot write a local file"
    exit_code = 73  # EX_CANTCREAT (sysexits.h)


def storage_error(path: object, exc: OSError, kept: str) -> StorageError:
    """`StorageError` for `exc` on `path`: "cannot write PATH: No space left on device; KEPT"."""
    why = exc.strerror or type(exc).__name__
    return StorageError(f"cannot write {path}: {why}; {kept}")


@dataclass(frozen=True)
class ObjectResult:
    """The outcome of one object in a batch write, in input order."""

    index: int
    ok: bool
    id: str | None = None
    code: str | int | None = None
    message: str = ""
    field: str | None = None


class PartialFailure(CrmError):
    """A batch call succeeded but some of its objects failed; `results` holds one per object."""

    title = "Some objects failed"
    exit_code = 5

    def __init__(self, results: Sequence[ObjectResult]) -> None:
        self.results = list(results)
        failed = [r for r in self.results if not r.ok]
        detail = "; ".join(f"#{r.index}: {r.message or r.code}" for r in failed[:5])
        super().__init__(f"{len(failed)} of {len(self.results)} objects failed: {detail}")


@dataclass
class ErrorInfo:
    """A plain summary of an error, for status bars and logs."""

    title: str
    message: str
    extra: dict[str, str] = field(default_factory=dict)


def describe(exc: BaseException) -> ErrorInfo:
    """Title and message for any exception, without a traceback."""
    if isinstance(exc, CrmError):
        return ErrorInfo(exc.title, exc.message)
    return ErrorInfo("Unexpected error", f"{type(exc).__name__}: {exc}")
