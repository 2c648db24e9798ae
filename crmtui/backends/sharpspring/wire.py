"""SharpSpring's wire: its envelope and error objects as typed errors, ids, where, decoding text."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from crmtui.backends.wire_text import unescape_html
from crmtui.errors import (
    AuthError,
    NotFound,
    ObjectResult,
    RateLimited,
    TransportError,
    UsageError,
    ValidationFailed,
    VendorError,
)
from crmtui.model import Query, Record

AUTH_CODES = {103, 104, 105}
ERROR_PEEK = 65_536  # API-level errors are small; a page of records is not worth parsing twice


def check_limits(response: httpx.Response) -> None:
    """The HTTP layer's hook: a 107 inside an HTTP 200 body is a rate limit (wait a second)."""
    if response.status_code != 200 or len(response.content) > ERROR_PEEK:
        return
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error_code(error) == 107:
        raise RateLimited("SharpSpring: more than 10 requests a second (107)", retry_after=1.0)


def decode(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        kind = response.headers.get("content-type", "unknown content")
        raise TransportError(
            f"SharpSpring answered HTTP {response.status_code} with something that is not JSON "
            f"({kind}, {len(response.content)} bytes)"
        ) from None


def error_code(error: Mapping[str, Any]) -> int | None:
    try:
        return int(str(error.get("code")))
    except ValueError:
        return None


def error_params(error: Mapping[str, Any]) -> dict[str, str]:
    """The per-parameter details of a 205-style error, by parameter name."""
    data = error.get("data")
    items = data.get("params") if isinstance(data, dict) else data
    out: dict[str, str] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("param"):
            out[str(item["param"])] = str(item.get("message") or "is invalid")[:200]
    return out


def api_error(method: str, error: Mapping[str, Any]) -> Exception:
    """The typed error for an API-level error object."""
    code = error_code(error)
    message = str(error.get("message") or "error")[:300]
    if code in AUTH_CODES:
        return AuthError(f"SharpSpring refused the credentials: {message} (code {code})")
    if code == 106:
        now = time.time()
        return RateLimited(
            f"SharpSpring's daily API limit is spent: {message}",
            retry_after=86400 - now % 86400,
        )
    if code == 107:
        return RateLimited(f"SharpSpring: {message}", retry_after=1.0)
    if code in (205, 206, 217) and error_params(error):
        return ValidationFailed(error_params(error), f"{method}: {message}: {error_params(error)}")
    if code in (212, 214, 404):
        return NotFound(f"{method}: {message}")
    return VendorError(f"SharpSpring {method} failed: {message}", code=code)


def outcomes(result: Any, key: str, objects: Sequence[Any]) -> list[ObjectResult]:
    """One ObjectResult per object sent, from `creates`/`updates`/`deletes`."""
    entries = result.get(key) if isinstance(result, dict) else None
    if not isinstance(entries, list) or len(entries) != len(objects):
        raise VendorError(f"SharpSpring's answer has no {key} for each object")
    out = []
    for index, entry in enumerate(entries):
        entry = entry if isinstance(entry, dict) else {}
        error = entry.get("error") if isinstance(entry.get("error"), dict) else {}
        ok = entry.get("success") in (True, "true", "1", 1)
        code = error_code(error) if error else None
        if code == 302:  # "no table rows affected": the object already holds these values
            ok = True
        new_id = entry.get("id")
        fields = error_params(error) if error else {}
        name = next(iter(fields), None) or ("emailAddress" if code == 301 else None)
        message = fields.get(name or "", "") or str((error or {}).get("message") or "")
        out.append(
            ObjectResult(index, ok, None if new_id is None else str(new_id), code, message, name)
        )
    return out


def single_failure(entity: str, record_id: str, outcome: ObjectResult) -> Exception:
    if outcome.code == 404:
        return NotFound(f"{entity} {record_id} not found")
    if outcome.field:
        why = "already exists" if outcome.code == 301 else outcome.message
        return ValidationFailed({outcome.field: why})
    return VendorError(f"SharpSpring refused the {entity}: {outcome.message}", code=outcome.code)


def items(result: Any, key: str) -> list[dict[str, Any]]:
    items = result.get(key) if isinstance(result, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def display_name(target: str, item: Mapping[str, Any]) -> str:
    if target == "user_profile":
        text = (
            item.get("displayName") or f"{item.get('firstName') or ''} {item.get('lastName') or ''}"
        )
    else:
        names = {"deal_stage": "dealStageName", "campaign": "campaignName", "list": "name"}
        key = names.get(target, "accountName")
        text = item.get(key)
    return str(text or item.get("id")).strip()


def numeric_id(record_id: str) -> int:
    text = str(record_id).strip()
    if not text.isdigit():
        raise UsageError(f"{record_id!r} is not a SharpSpring id (a whole number)")
    return int(text)


def where(entity: str, query: Query) -> dict[str, str]:
    """Query filters as `where` (leads: id or emailAddress, one key)."""
    where: dict[str, str] = {}
    allowed = ("id", "emailAddress") if entity == "lead" else ("id",)
    for f in query.filters:
        if f.field not in allowed or f.op != "eq":
            raise UsageError(
                f"SharpSpring can search {entity} only by {' or '.join(allowed)} (exact match)"
            )
        where[f.field] = f.value.strip()
    if len(where) > 1:
        raise UsageError("SharpSpring searches by one field at a time")
    return where


def changed_at(record: Record) -> dt.datetime:
    value = record.values.get("updateTimestamp") or record.values.get("createTimestamp")
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.min.replace(tzinfo=dt.UTC)


def text(value: str) -> str:
    """A stored string as the user typed it.

    Values entered in SharpSpring's web UI are stored HTML-encoded (`Procter &amp; Gamble`), and
    `<` in a standard field twice (`&amp;lt;`); values written through the API come back raw,
    except `<` as `&lt;` unless it ends the value (rmuit `encoding.md`). So decode once, then any
    `&lt;` left. A value meant to hold a literal `&amp;` cannot be told apart; rmuit makes the
    same trade.
    """
    decoded = unescape_html(value)
    return decoded.replace("&lt;", "<") if "&lt;" in decoded else decoded


def decoded(item: Mapping[str, Any]) -> dict[str, Any]:
    """An object's values with every string decoded (`text`), without its `id`."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key == "id":
            continue
        out[key] = text(value) if isinstance(value, str) and "&" in value else value
    return out
