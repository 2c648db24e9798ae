"""Typed values back to the strings vendors expect (each vendor picks its flags and date form)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from decimal import Decimal
from typing import Any

STAMP = "%Y-%m-%d %H:%M:%S"


def to_text(
    value: Any,
    *,
    true: str,
    false: str,
    moment: Callable[[dt.datetime], str] = lambda when: when.strftime(STAMP),
) -> str | None:
    """`value` as vendor text: flags as `true`/`false`, dates ISO, decimals plain, None kept."""
    if value is None:
        return None
    if isinstance(value, bool):
        return true if value else false
    if isinstance(value, dt.datetime):
        return moment(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def unescape_html(text: str) -> str:
    """`text` with HTML character references decoded once (`&amp;` -> `&`, `&#039;` -> `'`).

    Vendors' web UIs store what a user types HTML-encoded and their APIs hand it back as stored.
    Text without an `&` comes back unchanged (and fast).
    """
    if "&" not in text:
        return text
    return html.unescape(text)
