"""Changes: field, old value, new value; computed from two value maps; and validated change sets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload


@dataclass(frozen=True)
class Change:
    """One field that an edit changes."""

    field: str
    old: Any
    new: Any


class Validated(Mapping[str, Any]):
    """Typed values a `Validator` checked: code downstream trusts them instead of checking again.

    Only a Validator makes one (`Validator.check`); it remembers the fields it was checked against
    (`schema`) and whether it was checked as a whole new record (`creating`). A validator given a
    Validated of its own fields returns it unchanged; raw values are always checked. Read-only.
    """

    __slots__ = ("_values", "creating", "schema")

    def __init__(self, values: Mapping[str, Any], schema: tuple[Any, ...], creating: bool) -> None:
        self._values = dict(values)
        self.schema = schema
        self.creating = creating

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Validated({self._values!r}, creating={self.creating})"

    def only(self, names: Iterable[str]) -> Validated:
        """The values of `names` (a part of an edit is still a checked edit, not a whole record)."""
        wanted = set(names)
        kept = {k: v for k, v in self._values.items() if k in wanted}
        return Validated(kept, self.schema, self.creating and wanted >= set(self._values))

    def without_blanks(self) -> Validated:
        """The values that are not None (a new record's empty fields are simply not sent)."""
        kept = {k: v for k, v in self._values.items() if v is not None}
        return Validated(kept, self.schema, self.creating)

    def trusted_by(self, schema: tuple[Any, ...], creating: bool) -> bool:
        """Whether a validator of `schema` may take these values without checking them again."""
        same = self.schema is schema or self.schema == schema
        return same and (self.creating or not creating)


class ChangeSet(Sequence[Change]):
    """Validated changes: each new value comes from one `Validated`, so nobody checks them again."""

    __slots__ = ("_changes", "values")

    def __init__(self, values: Validated, old: Mapping[str, Any] | None = None) -> None:
        self.values = values
        before = old or {}
        self._changes = tuple(Change(name, before.get(name), new) for name, new in values.items())

    @overload
    def __getitem__(self, index: int) -> Change: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Change]: ...

    def __getitem__(self, index: int | slice) -> Change | Sequence[Change]:
        return self._changes[index]

    def __len__(self) -> int:
        return len(self._changes)

    def __repr__(self) -> str:
        return f"ChangeSet({list(self._changes)!r})"

    def only(self, names: Iterable[str], old: Mapping[str, Any] | None = None) -> ChangeSet:
        """The changes of `names`, measured from `old` (default: the old values they had)."""
        base = {c.field: c.old for c in self._changes} if old is None else old
        return ChangeSet(self.values.only(names), base)


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """The fields of `new` whose value differs from `old` (empty text and None are the same)."""
    changes = []
    for name, value in new.items():
        before = old.get(name)
        if _norm(before) != _norm(value):
            changes.append(Change(name, before, value))
    return changes


def as_values(changes: Sequence[Change]) -> Mapping[str, Any]:
    """The new values of `changes`, by field (still `Validated` when the changes were)."""
    if isinstance(changes, ChangeSet):
        return changes.values
    return {c.field: c.new for c in changes}


def _norm(value: Any) -> Any:
    return None if value == "" else value
