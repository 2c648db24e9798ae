"""LeadSquared's answers on the wire: MX error bodies as typed errors, the in-body rate limit."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from crmtui.backends.wire_text import unescape_html
from crmtui.errors import AuthError, NotFound, RateLimited, ValidationFailed, VendorError

RATE_LIMIT_TYPE = "MXAPIRateLimitExceededException"
# POST methods that only read.
READ_METHODS = frozenset({"leads.get", "leads.recentlymodified", "leads.getbyemailaddress"})
_VALIDATION_TYPES = (
    "MXMandatoryAttributeMissingException",
    "MXDuplicateEntryException",
    "MXInvalidInputException",
    "MXUnknownAttributeException",
    "MXInvalidActivityFieldsException",
)


def rate_limit_check(response: httpx.Response) -> None:
    """The `check` hook: the rate limit reported inside an HTTP 200 body."""
    if response.status_code != 200 or b"RateLimit" not in response.content:
        return
    body = body_of(response)
    if isinstance(body, dict) and body.get("ExceptionType") == RATE_LIMIT_TYPE:
        raise RateLimited(f"LeadSquared: {body.get('ExceptionMessage') or 'rate limit exceeded'}")


NOT_JSON = object()
"""What body_of gives for a body that is not JSON."""


def body_of(response: httpx.Response) -> Any:
    """The decoded JSON body, or NOT_JSON."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return NOT_JSON


def as_int(value: Any) -> int:
    """A whole number from a vendor string (0 when it is not one)."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


def mx_error(body: Mapping[str, Any], status: int, what: str) -> Exception:
    """The typed error for an MX error body (or a 401)."""
    kind = str(body.get("ExceptionType") or "Error")
    message = str(body.get("ExceptionMessage") or body.get("Message") or kind)[:300]
    if status == 401:
        return AuthError(f"LeadSquared refused the keys: {message}")
    if kind == RATE_LIMIT_TYPE:
        return RateLimited(f"LeadSquared: {message}")
    if kind == "MXInvalidEntityException":
        return NotFound(f"{what}: {message}")
    if kind in _VALIDATION_TYPES:
        field = _field_named(message)
        return ValidationFailed({field: message} if field else {}, f"{kind}: {message}")
    return VendorError(f"LeadSquared: {message}", code=kind, status=status)


def _field_named(message: str) -> str | None:
    """The field an MX message names ("Attribute X does not exist", "X: ..."), if any."""
    head = message.split(":", 1)[0].strip()
    if head and " " not in head:
        return head
    words = message.replace(".", " ").split()
    for word in words:
        if word.startswith("mx_") or word in ("EmailAddress", "Phone", "FirstName", "LastName"):
            return word
    return None


def wire_value(value: Any) -> Any:
    """A value as LeadSquared sent it, HTML entities decoded (the web UI stores text encoded)."""
    return unescape_html(value) if isinstance(value, str) and "&" in value else value
