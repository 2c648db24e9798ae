"""Redaction: secrets masked wherever they sit (URL, headers, bodies, messages, httpx logs)."""

from __future__ import annotations

import json
import logging
import re
import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus, unquote_plus

if TYPE_CHECKING:
    import httpx

MASK = "***"
MIN_SECRET_LENGTH = 4
_PATH_SAFE = "!$&'()*+,;=:@/"  # what URL paths leave unescaped

SECRET_NAMES: frozenset[str] = frozenset(
    {
        "secretkey",
        "secret_key",
        "secret",
        "accesskey",
        "access_key",
        "rpskey",
        "rps_key",
        "password",
        "passwd",
        "client_secret",
        "client_id",
        "token",
        "access_token",
        "refresh_token",
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api_key",
        "apikey",
        "cookie",
        "set-cookie",
    }
)
"""Lower-cased names of parameters, headers and JSON keys whose values are always masked."""

# Names are compared without case and without "-"/"_", and anything ending in one of these words
# counts too (e.g. "x-lsq-secretkey", "refreshToken").
_NORMALISED = frozenset(re.sub(r"[-_]", "", name) for name in SECRET_NAMES)
_SECRET_SUFFIXES = ("secret", "password", "passwd", "token", "apikey", "secretkey", "accesskey")
# `name=value` in a query string or form body, for names that look secret.
_PAIR = re.compile(r"(?P<name>[A-Za-z0-9_.\-]+)=(?P<value>[^&\s\"'<>#]*)")


def is_secret_name(name: str) -> bool:
    """Whether a parameter, header or key called `name` holds a secret."""
    flat = re.sub(r"[-_\s]", "", name.lower())
    return flat in _NORMALISED or flat.endswith(_SECRET_SUFFIXES)


class Redactor:
    """Masks secrets wherever they sit. Values registered by value; params/headers also by name."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._forms: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        for secret in secrets:
            self.add(secret)

    def __repr__(self) -> str:
        return f"Redactor({len(self._forms)} masked forms)"

    def add(self, secret: str | None) -> None:
        """Register a secret value (e.g. a bearer token obtained at run time).

        Empty and very short values (fewer than 4 characters) are ignored: masking them would
        garble ordinary text without protecting anything.
        """
        if not secret or len(secret) < MIN_SECRET_LENGTH:
            return
        forms = {
            secret,
            quote(secret, safe=""),
            quote_plus(secret, safe=""),
            quote(secret, safe=_PATH_SAFE),
            json.dumps(secret)[1:-1],
        }
        new = {form for form in forms if form} - self._forms
        if new:
            self._forms |= new
            ordered = sorted(self._forms, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(form) for form in ordered))

    def learn(self, *mappings: Mapping[str, Any] | None, body: Any = None) -> None:
        """Register every value sent under a secret-looking name (params, headers, form, JSON).

        For an `Authorization: Bearer X` style value, X is registered on its own as well.
        """
        for mapping in mappings:
            for name, value in (mapping or {}).items():
                if is_secret_name(str(name)) and isinstance(value, str):
                    self.add(value)
                    scheme, _, credential = value.partition(" ")
                    if credential and scheme.isalpha():
                        self.add(credential.strip())
        if isinstance(body, Mapping):
            for key, item in body.items():
                if isinstance(key, str) and is_secret_name(key) and isinstance(item, str):
                    self.add(item)
                else:
                    self.learn(body=item)
        elif isinstance(body, list | tuple):
            for item in body:
                self.learn(body=item)

    def text(self, text: str) -> str:
        """`text` with every registered value (and its URL- or JSON-encoded form) masked.

        `name=value` pairs whose name looks secret (as in a query string) are masked as well.
        """
        if self._pattern is not None:
            # Repeat until stable: a mask next to leftover characters must not re-form a secret.
            # Each pass shortens the text (a secret has at least 4 characters), so this ends.
            while self._pattern.search(text):
                text = self._pattern.sub(MASK, text)
        return _PAIR.sub(_mask_pair, text)

    def url(self, url: str | httpx.URL) -> str:
        """The URL as text with secret-named query parameters, passwords and values masked."""
        if isinstance(url, str):
            import httpx

            parsed = httpx.URL(url)
        else:
            parsed = url
        if parsed.password:
            parsed = parsed.copy_with(username=parsed.username, password=MASK)
        return self.text(str(parsed))

    def headers(self, headers: Mapping[str, str] | httpx.Headers) -> dict[str, str]:
        """A plain copy of `headers` with secret-named headers and registered values masked."""
        return {
            name: MASK if is_secret_name(name) else self.text(value)
            for name, value in headers.items()
        }

    def obj(self, value: Any) -> Any:
        """A deep copy of JSON-like data with secrets masked (by value and by key name)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {
                key: MASK
                if isinstance(key, str) and is_secret_name(key) and value_present(item)
                else self.obj(item)
                for key, item in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.obj(item) for item in value]
        return value


def value_present(value: Any) -> bool:
    """Whether a secret-named field actually carries something worth masking."""
    return value not in (None, "")


def _mask_pair(match: re.Match[str]) -> str:
    name = match.group("name")
    if match.group("value") and is_secret_name(unquote_plus(name)):
        return f"{name}={MASK}"
    return match.group()


# httpcore's DEBUG records show response headers as (b'Name', b'value') tuples.
_HEADER_TUPLE = re.compile(r"\(b'(?P<name>[^']+)', b'(?P<value>[^']*)'\)")


def _mask_header_tuple(match: re.Match[str]) -> str:
    if is_secret_name(match.group("name")):
        return f"(b'{match.group('name')}', b'{MASK}')"
    return match.group()


_LIVE: weakref.WeakSet[Redactor] = weakref.WeakSet()
_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


class _RedactingFilter(logging.Filter):
    """Rewrites each record's message through every live redactor."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: drop its arguments rather than risk a leak
            message = str(record.msg)
        for redactor in list(_LIVE):
            message = redactor.text(message)
        message = _HEADER_TUPLE.sub(_mask_header_tuple, message)
        record.msg = _PAIR.sub(_mask_pair, message)
        record.args = None
        return True


_FILTER = _RedactingFilter()


def install_log_filter(redactor: Redactor) -> None:
    """Redact the "httpx" and "httpcore" loggers' records with `redactor` and every live one.

    httpx logs full URLs, query strings included, at INFO. The filter sits on the loggers that
    emit records (filters do not apply to records propagated from child loggers), once each.
    """
    _LIVE.add(redactor)
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
