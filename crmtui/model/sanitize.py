"""Make untrusted vendor text inert: control, DEL, C1 and bidi characters become visible."""

from __future__ import annotations

import re

# C0 controls (but tab and newline, handled by callers), DEL, C1 controls, and the Unicode
# bidi controls that can reorder what a terminal shows (CVE-2021-42574 "Trojan Source").
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
