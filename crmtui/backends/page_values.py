"""A page of vendor objects typed a column at a time: the same values as typing each one alone.

A page holds some 500 objects of 20-30 fields that all have the same keys in the same order.
Typing it value by value costs a Python step per value (15,000 a page); a column at a time, the
usual case — text with nothing to decode, numbers and dates that all parse — is checked and
converted with C-speed passes (`str.join`, `map`), and only a column with something unusual
(an HTML entity, a blank, a value that does not parse, a non-string) takes the per-value path,
which is the definition the fast path must match: `ValueTyper.one`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import InvalidOperation
from itertools import repeat
from operator import itemgetter, setitem
from typing import Any, cast

Convert = Callable[[str], Any]
_SEP = "\x00"  # joins a column's texts: a separator no value needs for the checks made


@dataclass(frozen=True)
class ValueTyper:
    """How one vendor types the values of one field list.

    Per string value, in order: `decode` it when it holds an `&` (HTML entities); then, for a
    field in `typed`, strip it — blank is None, else its converter's result, or the decoded
    text when the converter raises ValueError; for a field in `blank_none`, blank (empty or
    whitespace only) is None. Other values and fields stay as sent; keys in `drop` are left out.
    """

    typed: Mapping[str, Convert]
    blank_none: frozenset[str] = frozenset()
    decode: Callable[[str], str] = str
    drop: frozenset[str] = frozenset()

    def one(self, name: str, value: Any) -> Any:
        """One value typed: the definition the column passes must match."""
        if value.__class__ is not str:
            return value
        if "&" in value:
            value = self.decode(value)
        convert = self.typed.get(name)
        if convert is not None:
            text = value.strip()
            if not text:
                return None
            try:
                return convert(text)
            except (ValueError, InvalidOperation):
                return value
        if name in self.blank_none and (not value or value.isspace()):
            return None
        return value

    def values(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """One object's values typed (see the class)."""
        one, drop = self.one, self.drop
        return {k: one(k, v) for k, v in raw.items() if k not in drop}

    def page(self, raws: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """`[self.values(raw) for raw in raws]`, a column at a time when the keys agree."""
        if len(raws) < 8 or any(raw.__class__ is not dict for raw in raws):
            return [self.values(raw) for raw in raws]
        keys = list(raws[0])
        if len(keys) < 2 or set(map(len, raws)) != {len(keys)}:
            return [self.values(raw) for raw in raws]
        try:  # every object has the first one's keys (and as many: no others)
            columns = list(map(list, zip(*map(itemgetter(*keys), raws), strict=True)))
        except KeyError:
            return [self.values(raw) for raw in raws]
        out: list[dict[str, Any]] = list(map(dict.copy, cast("list[dict[str, Any]]", raws)))
        for key, column in zip(keys, columns, strict=True):
            if key in self.drop:
                deque(map(dict.pop, out, repeat(key)), 0)
                continue
            typed = self._column(key, column)
            if typed is not column:
                deque(map(setitem, out, repeat(key), typed), 0)
        return out

    def _column(self, name: str, column: list[Any]) -> list[Any]:
        """One field's values typed, in C-speed passes when nothing unusual is in them."""
        texts = list(filter(None, column))  # None and "" (and 0, False) left out
        try:
            joined = _SEP.join(texts)
        except TypeError:  # a number, a list...: value by value
            return [self.one(name, v) for v in column]
        nones = column.count(None)
        blanks = len(column) - nones - len(texts)  # "" (or 0, False)
        convert = self.typed.get(name)
        plain = not blanks and convert is None and "&" not in joined
        if plain and (name not in self.blank_none or not any(map(str.isspace, texts))):
            return column  # the usual text column: nothing to do
        if blanks == column.count(""):  # strings and None only: equal means the same
            distinct = set(column)
            if len(distinct) * 4 <= len(column):  # flags, choices, small numbers...
                one = self.one
                lookup = {value: one(name, value) for value in distinct}
                return list(map(lookup.__getitem__, column))
        if "&" in joined:
            decode = self.decode
            column = [decode(v) if v.__class__ is str and "&" in v else v for v in column]
            texts = list(filter(None, column))
        if blanks or any(map(str.isspace, texts)):
            return [self.one(name, v) for v in column]
        if convert is None:
            return column
        try:
            if not nones:
                return list(map(convert, map(str.strip, column)))
            return [None if v is None else convert(v.strip()) for v in column]
        except (ValueError, InvalidOperation):  # one did not parse: it keeps its text
            return [self.one(name, v) for v in column]
