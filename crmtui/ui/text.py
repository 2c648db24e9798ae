"""Untrusted vendor values as inert Rich Text: never markup, never control characters."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from crmtui.model import FieldSpec, format_value
from crmtui.model.sanitize import inert


def plain(value: Any, spec: FieldSpec | None = None, *, keep_newlines: bool = False) -> str:
    """A value as safe plain text (control characters made visible)."""
    return inert(format_value(value, spec), keep_newlines=keep_newlines)


def cell(value: Any, spec: FieldSpec | None = None, *, style: str = "") -> Text:
    """A value as a Rich Text that is never parsed as markup: safe in any widget."""
    return Text(plain(value, spec), style=style, no_wrap=True, overflow="ellipsis")


def block(value: Any, spec: FieldSpec | None = None, *, style: str = "") -> Text:
    """A long value as a wrapped, safe Rich Text (newlines kept)."""
    return Text(plain(value, spec, keep_newlines=True), style=style)


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 change`, `3 changes`, `0 matches` (count with thousands separators)."""
    many = words if words is not None else (word + ("es" if word.endswith(("s", "h")) else "s"))
    return f"{count:,} {word if count == 1 else many}"
