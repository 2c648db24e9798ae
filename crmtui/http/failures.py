"""What a failed attempt means: was it sent, may it be retried, how to say it without secrets."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import Enum

import httpx

from crmtui.errors import CrmError, ValidationFailed
from crmtui.http.redact import Redactor

# Below this a "reset" header is a number of seconds, above it a unix time.
_UNIX_TIME_FLOOR = 1_000_000_000


class Reach(Enum):
    """How far a failed attempt got."""

    NOT_SENT = "not sent"  # the connection was never made: safe to resend anything
    MAYBE_SENT = "maybe sent"  # the request may have reached the server
    FATAL = "fatal"  # retrying cannot help (bad URL, unsupported protocol, ...)


@dataclass(frozen=True)
class Failure:
    """A transport exception, classified, with a short redacted reason."""

    reach: Reach
    timeout: bool
    reason: str


def classify(exc: Exception, redactor: Redactor, timeout: float | None) -> Failure:
    """Classify an httpx exception; the reason never quotes the URL or a secret."""
    within = "" if timeout is None else f" within {timeout:g} s"
    detail = redactor.text(str(exc)).strip() or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return Failure(Reach.NOT_SENT, True, f"no connection{within}")
    if isinstance(exc, httpx.PoolTimeout):
        return Failure(Reach.NOT_SENT, True, f"no free connection{within}")
    if isinstance(exc, httpx.ConnectError):
        lowered = " ".join(_causes(exc)).lower()
        if "refused" in lowered:
            reason = "connection refused"
        elif "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
            reason = "host not found"
        else:
            reason = detail
        return Failure(Reach.NOT_SENT, False, reason)
    if isinstance(exc, httpx.ReadTimeout):
        return Failure(Reach.MAYBE_SENT, True, f"no answer{within}")
    if isinstance(exc, httpx.WriteTimeout):
        return Failure(Reach.MAYBE_SENT, True, f"timed out sending the request{within}")
    if isinstance(exc, httpx.TimeoutException):
        return Failure(Reach.MAYBE_SENT, True, f"timed out{within}")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return Failure(Reach.MAYBE_SENT, False, "the connection dropped before the answer")
    if isinstance(exc, httpx.NetworkError):
        return Failure(Reach.MAYBE_SENT, False, f"network error: {detail}")
    return Failure(Reach.FATAL, False, f"{type(exc).__name__}: {detail}")


def _causes(exc: BaseException) -> list[str]:
    """Type names and messages along an exception's chain (anyio hides the refusal in it)."""
    found: list[str] = []
    seen: set[int] = set()
    item: BaseException | None = exc
    while item is not None and id(item) not in seen and len(found) < 20:
        seen.add(id(item))
        found += [type(item).__name__, str(item)]
        item = item.__cause__ or item.__context__
    return found


def host_label(url: httpx.URL, redactor: Redactor) -> str:
    """`host:port` of a URL, for messages."""
    host = url.host or "?"
    return redactor.text(f"{host}:{url.port}" if url.port else host)


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait from a `Retry-After` header (seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def reset_time(value: str | None, now: float) -> float | None:
    """Unix time from an `x-rate-limit-reset` header (a unix time, or seconds from now)."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number >= _UNIX_TIME_FLOOR else now + max(number, 0.0)


def header_int(value: str | None) -> int | None:
    """An integer header value, or None when absent or malformed."""
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def scrub(exc: BaseException, redactor: Redactor) -> BaseException:
    """Make an exception secret-free in place: message, args and notes redacted, chain cut."""
    if isinstance(exc, CrmError):
        exc.message = redactor.text(exc.message)
    if isinstance(exc, ValidationFailed):
        exc.field_errors = {key: redactor.text(why) for key, why in exc.field_errors.items()}
    exc.args = tuple(redactor.text(arg) if isinstance(arg, str) else arg for arg in exc.args)
    notes = getattr(exc, "__notes__", None)
    if isinstance(notes, list):
        exc.__notes__ = [redactor.text(note) for note in notes]
    exc.__cause__ = None
    exc.__context__ = None
    exc.__suppress_context__ = True
    return exc
