"""Typed values to the strings vendors expect and back; each vendor picks its flags and date forms.

`to_text` goes out (flags as the vendor's words, dates ISO, decimals plain). `from_text` comes
back: blank is None, anything unparsable stays as the vendor sent it; `converters` is the table
of per-type parsers a vendor adjusts (its flag words, its timestamp form, whether numbers that
are whole become ints).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from crmtui.model import FieldType

STAMP = "%Y-%m-%d %H:%M:%S"
TRUE_WORDS = frozenset({"1", "true", "yes"})

Convert = Callable[[str], Any]


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


# -- vendor text to typed values -----------------------------------------------------------------
def is_true(value: Any, words: frozenset[str] = TRUE_WORDS) -> bool:
    """A vendor flag as a bool: one of `words` in any case ("1", "true", "yes" by default)."""
    return str(value).strip().lower() in words


def iso_day(text: str) -> dt.date:
    """The date of "YYYY-MM-DD" or of a timestamp starting so."""
    return dt.date.fromisoformat(text[:10])


def converters(
    *,
    flag: Convert = is_true,
    moment: Convert = dt.datetime.fromisoformat,
    day: Convert = iso_day,
    decimal: Convert = Decimal,
    integer: Convert | None = int,
) -> dict[FieldType, Convert]:
    """The per-type parsers of one vendor: ISO dates and "1"/"true"/"yes" flags unless told.

    `integer=None` leaves whole-number fields as the vendor sent them.
    """
    table: dict[FieldType, Convert] = {
        FieldType.DECIMAL: decimal,
        FieldType.BOOLEAN: flag,
        FieldType.DATE: day,
        FieldType.DATETIME: moment,
    }
    if integer is not None:
        table[FieldType.INTEGER] = integer
    return table


def from_text(value: Any, convert: Convert | None) -> Any:
    """Vendor text as a typed value: blank text is None; text `convert` cannot parse, a field
    with no converter (text-like) and anything not a string stay as the vendor sent them."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if convert is None:
        return value
    try:
        return convert(text)
    except (ValueError, InvalidOperation):
        return value


def text_parser(convert: Convert | None) -> Callable[[Any], Any]:
    """`from_text` bound to one converter: a field's parser, chosen once per page, not per value."""
    return functools.partial(from_text, convert=convert)


def unescape_html(text: str) -> str:
    """`text` with HTML character references decoded once (`&amp;` -> `&`, `&#039;` -> `'`).

    Vendors' web UIs store what a user types HTML-encoded and their APIs hand it back as stored.
    Text without an `&` comes back unchanged (and fast).
    """
    if "&" not in text:
        return text
    return html.unescape(text)
