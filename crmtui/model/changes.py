"""Changes: field, old value, new value; computed from two value maps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One field that an edit changes."""

    field: str
    old: Any
    new: Any


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """The fields of `new` whose value differs from `old` (empty text and None are the same)."""
    changes = []
    for name, value in new.items():
        before = old.get(name)
        if _norm(before) != _norm(value):
            changes.append(Change(name, before, value))
    return changes


def as_values(changes: Sequence[Change]) -> dict[str, Any]:
    """The new values of `changes`, by field."""
    return {c.field: c.new for c in changes}


def _norm(value: Any) -> Any:
    return None if value == "" else value
