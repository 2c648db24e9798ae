"""The filter language of `/` and `--where`: `field=value`, `field~text`, `field>v`, free text.

Conditions are joined by spaces (all must hold); values may be quoted; a field is named by its
system name or its label, case-insensitive. A bare word is free text: an email looks up the
email field, an id the record id, anything else the names and the company.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from crmtui.errors import UsageError
from crmtui.model.fields import EntitySpec, FieldSpec, FieldType
from crmtui.model.queries import Filter, Op
from crmtui.model.records import Record, format_value

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ID_LIKE = re.compile(
    r"\d+|(?=[A-Z]*\d)[A-Z0-9]{6,16}"  # numbers; short codes in capitals with a digit
    r"|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"  # GUIDs
)
CONDITION = re.compile(r"(?P<field>[^=~<>]+?)(?P<op>[=~<>])(?P<value>.*)", re.DOTALL)
OPS: dict[str, Op] = {"=": "eq", "~": "contains", ">": "gt", "<": "lt"}
SYMBOLS = {v: k for k, v in OPS.items()}
COMPANY_WORDS = ("company", "account name", "organisation", "organization")


@dataclass(frozen=True)
class Expr:
    """A parsed filter: conditions (all hold), free words (each in a name or company field)."""

    conditions: tuple[Filter, ...] = ()
    words: tuple[str, ...] = ()
    word_fields: tuple[str, ...] = ()  # where free words are looked for
    record_id: str | None = None  # a bare id: that record
    text: str = ""  # what the user typed

    def __bool__(self) -> bool:
        return bool(self.conditions or self.words or self.record_id)

    def describe(self) -> str:
        """The filter as text a user can type again."""
        parts = [f"{c.field}{SYMBOLS[c.op]}{quote(c.value)}" for c in self.conditions]
        parts += [quote(w) for w in self.words]
        if self.record_id:
            parts.append(self.record_id)
        return " ".join(parts)


@dataclass(frozen=True)
class FilterSupport:
    """What a vendor's server can filter: operators per field, how many at once, free text."""

    ops: Mapping[str, frozenset[Op]] = field(default_factory=dict)  # "*": any field
    max_conditions: int = 0
    free_text: bool = False  # a quick search over names, email, company

    def allows(self, condition: Filter) -> bool:
        """Whether the server can apply `condition` exactly."""
        ops = self.ops.get(condition.field, self.ops.get("*", frozenset()))
        return condition.op in ops


def quote(value: str) -> str:
    """A value quoted when it has spaces, quotes or operators."""
    return shlex.quote(value) if re.search(r"[\s'\"=~<>]", value) or not value else value


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def resolve_field(name: str, fields: Sequence[FieldSpec]) -> FieldSpec:
    """The field called `name` (system name or label, any case), or a UsageError with hints."""
    wanted = name.strip()
    for spec in fields:
        if spec.name == wanted:
            return spec
    for spec in fields:
        if wanted.casefold() in (spec.name.casefold(), spec.label.casefold()):
            return spec
    for spec in fields:
        if _key(wanted) and _key(wanted) in (_key(spec.name), _key(spec.label)):
            return spec
    names = {s.label: s for s in fields} | {s.name: s for s in fields}
    lowered = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(wanted.casefold(), list(lowered), n=4, cutoff=0.6)
    chosen: dict[str, str] = {}  # one name per field: its label
    for c in close:
        spec = names[lowered[c]]
        chosen.setdefault(spec.name, spec.label)
    hint = f"; did you mean {' or '.join(list(chosen.values())[:2])}?" if chosen else ""
    raise UsageError(f"unknown field {wanted!r}{hint}")


def email_field(fields: Sequence[FieldSpec]) -> FieldSpec | None:
    """The entity's main email field: the first of type email, else one named like it."""
    typed = [f for f in fields if f.type is FieldType.EMAIL]
    if typed:
        primary = [f for f in typed if _key(f.name) in ("email", "emailaddress")]
        return (primary or typed)[0]
    for f in fields:
        if _key(f.name) in ("email", "emailaddress"):
            return f
    return None


def word_fields(fields: Sequence[FieldSpec], entity: EntitySpec | None) -> tuple[str, ...]:
    """Where free words are looked for: the title fields and any company-like field."""
    known = {f.name for f in fields}
    names = [n for n in (entity.title_fields if entity else ()) if n in known]
    for f in fields:
        label = f.label.casefold()
        if any(w in label or w.replace(" ", "") in f.name.casefold() for w in COMPANY_WORDS):
            names.append(f.name)
    if not names:
        names = [f.name for f in fields if f.type in (FieldType.STRING, FieldType.EMAIL)][:3]
    return tuple(dict.fromkeys(names))


def split(text: str) -> list[str]:
    """Words, honouring quotes (`"Last name"~smi`, `City="New York"`)."""
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError as exc:
        raise UsageError(f"filter {text!r}: {exc} (close the quote)") from None


def parse(text: str, fields: Sequence[FieldSpec], entity: EntitySpec | None = None) -> Expr:
    """Read a filter; unknown fields and bad values raise UsageError naming them."""
    conditions: list[Filter] = []
    words: list[str] = []
    record_id: str | None = None
    for token in split(text):
        match = CONDITION.fullmatch(token)
        if match is None or not match.group("field").strip():
            if EMAIL.fullmatch(token) and (spec := email_field(fields)) is not None:
                conditions.append(Filter(spec.name, token, "eq"))
            elif ID_LIKE.fullmatch(token) and record_id is None:
                record_id = token
            else:
                words.append(token)
            continue
        spec = resolve_field(match.group("field"), fields)
        op = OPS[match.group("op")]
        value = match.group("value")
        if op in ("gt", "lt"):
            comparable(spec, value)  # refuses "Score>abc" now, not on every record
        conditions.append(Filter(spec.name, value, op))
    return Expr(tuple(conditions), tuple(words), word_fields(fields, entity), record_id, text)


def comparable(spec: FieldSpec | None, value: Any) -> Any:
    """`value` as something `<`/`>` can order for the field's type (text: case-folded)."""
    kind = spec.type if spec is not None else FieldType.STRING
    if value is None or value == "":
        return None
    try:
        if kind in (FieldType.INTEGER, FieldType.DECIMAL):
            return value if isinstance(value, int | Decimal) else Decimal(str(value).strip())
        if kind is FieldType.DATETIME:
            if isinstance(value, dt.datetime):
                return value.replace(tzinfo=None)
            return dt.datetime.fromisoformat(str(value).strip()).replace(tzinfo=None)
        if kind is FieldType.DATE:
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except (InvalidOperation, ValueError):
        name = spec.label if spec else "value"
        raise UsageError(f"{name}: {value!r} is not a {kind.value} to compare with") from None
    return format_value(value).casefold()


def _text(value: Any, spec: FieldSpec | None) -> str:
    return format_value(value, spec).casefold()


def holds(condition: Filter, record: Record, specs: Mapping[str, FieldSpec]) -> bool:
    """Whether one condition holds for `record` (text compares case-insensitively)."""
    spec = specs.get(condition.field)
    value = record.values.get(condition.field)
    wanted = condition.value.casefold()
    if condition.op == "eq":
        have = {_text(value, spec), "" if value is None else str(value).casefold()}
        # `a@x.co,b@y.co`: any of several values (as SharpSpring's where and the watch take them)
        return wanted in have or bool(have & {w.strip() for w in wanted.split(",")})
    if condition.op == "contains":
        return wanted in _text(value, spec) or wanted in ("" if value is None else str(value))
    try:
        have, limit = comparable(spec, value), comparable(spec, condition.value)
        if have is None or limit is None:
            return False
        return bool(have > limit if condition.op == "gt" else have < limit)
    except (UsageError, TypeError):
        return False


def matches(expr: Expr, record: Record, specs: Mapping[str, FieldSpec]) -> bool:
    """Whether `record` satisfies every part of `expr`."""
    if expr.record_id is not None and record.id != expr.record_id:
        return False
    if not all(holds(c, record, specs) for c in expr.conditions):
        return False
    for word in expr.words:
        needle = word.casefold()
        if not any(needle in _text(record.values.get(n), specs.get(n)) for n in expr.word_fields):
            return False
    return True


def server_part(
    expr: Expr, support: FilterSupport
) -> tuple[tuple[Filter, ...], bool, tuple[Filter, ...]]:
    """Split `expr` for a server: (conditions it applies, whether it takes the free words, rest).

    Exact conditions go first (most selective); the rest is checked locally on what comes back.
    """
    ordered = sorted(expr.conditions, key=lambda c: c.op != "eq")
    sent: list[Filter] = []
    for c in ordered:
        if len(sent) < support.max_conditions and support.allows(c):
            sent.append(c)
    free = bool(expr.words) and support.free_text and not sent
    rest = tuple(c for c in expr.conditions if c not in sent)
    return tuple(sent), free, rest
