"""Untrusted text never carries a control, C1 or bidi character to the terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crmtui.model.sanitize import inert

UNSAFE = {chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]} | {
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
}


@given(st.text())
def test_no_unsafe_character_survives(text: str) -> None:
    assert not set(inert(text)) & UNSAFE


@given(st.text())
def test_newlines_kept_only_when_asked(text: str) -> None:
    kept = inert(text, keep_newlines=True)
    assert not set(kept) & (UNSAFE - {"\n"})


def test_escape_sequences_become_visible() -> None:
    assert inert("\x1b]0;pwned\x07") == "␛]0;pwned␇"
    assert inert("a\tb\r\nc") == "a b↵c"
    assert inert("x\u202ey") == "x<U+202E>y"
    assert inert("Smith [/bold] & Co") == "Smith [/bold] & Co"
