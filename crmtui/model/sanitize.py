"""Make untrusted vendor text inert for every output: terminal text, JSON, CSV and raw streams.

One layer, one set of unsafe characters (C0 but tab and newline, DEL, C1, the bidi controls):
- `inert` replaces them with visible stand-ins (table, `get`, messages);
- `json_inert` escapes them inside JSON text (`\\u009b`): the data stays exact, nothing raw;
- `csv_cell` makes a CSV value inert and guards it against spreadsheet formulas;
- `TerminalGuard` wraps a text stream so nothing unsafe reaches it whatever the caller forgot.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

# C0 controls (but tab and newline, handled by callers), DEL, C1 controls, and the Unicode
# bidi controls that can reorder what a terminal shows (CVE-2021-42574 "Trojan Source").
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")
# What JSON text may not carry raw: everything above but the structural whitespace (json.dumps
# already escapes C0 inside strings), plus the Unicode line and paragraph separators.
_JSON_UNSAFE = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}\u2028\u2029]")
# What a stream may pass on: tab, newline and carriage return (a progress line) only.
_STREAM_UNSAFE = _JSON_UNSAFE
_FORMULA = ("=", "+", "-", "@")


def _replace(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def inert(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every unsafe character replaced by a visible stand-in.

    Tabs become a space; newlines are kept when `keep_newlines` (long text), else shown as ↵.
    """
    if keep_newlines:
        text = text.replace("\r\n", "\n")
    else:
        text = text.replace("\r\n", "\u21b5").replace("\n", "\u21b5")
    return _UNSAFE.sub(_replace, text.replace("\t", " "))


def first_unsafe(text: str) -> tuple[int, str] | None:
    """The position and `U+XXXX` name of the first unsafe character in `text` (tab, newline and
    carriage return are fine), or None: what crmtui refuses to send to a vendor."""
    match = _STREAM_UNSAFE.search(text)
    return None if match is None else (match.start(), f"U+{ord(match.group()):04X}")


def json_inert(text: str) -> str:
    """JSON text with every unsafe character escaped as `\\uXXXX`: the same JSON value.

    Such characters can only stand inside JSON strings, where the escape means the same thing.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps(value: Any, *, indent: int | None = None, default: Any = None) -> str:
    """`json.dumps(value, ensure_ascii=False)` with nothing unsafe left raw (see `json_inert`)."""
    return json_inert(json.dumps(value, ensure_ascii=False, indent=indent, default=default))


def body_inert(text: str) -> str:
    """A vendor's answer as printed: JSON escaped losslessly (`json_inert`), other text `inert`
    with its newlines kept."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return inert(text, keep_newlines=True)
    return json_inert(text)


def csv_cell(text: str, *, guard: bool = True) -> str:
    """A CSV value made inert (newlines kept: CSV quotes them) and, when `guard`, defused.

    A spreadsheet runs a cell starting with = + - @ (also after spaces), TAB or CR as a formula
    (OWASP "CSV injection"): such a cell gets a leading apostrophe, unless it is a number.
    """
    risky = guard and (
        text[:1] in ("\t", "\r") or (text.lstrip()[:1] in _FORMULA and not _number(text))
    )
    safe = inert(text, keep_newlines=True) if not text.isprintable() else text
    return "'" + safe if risky else safe


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class TerminalGuard:
    """A text stream that passes on tab, newline and CR but makes every other unsafe character
    visible: the last line of defence for whatever a command prints."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write `text` made safe; returns the length of `text` (as callers expect)."""
        self.stream.write(_STREAM_UNSAFE.sub(_replace, text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        """Write each line made safe."""
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)
