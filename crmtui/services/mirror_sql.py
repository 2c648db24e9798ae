"""The mirror's SQL: one table per entity (a column per field), its indexes, values in and out.

Names, company and email are in an FTS5 trigram index (substring search without a scan);
exact email lookups use an index. Filters become SQL in `mirror_query`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from operator import itemgetter
from typing import Any

from crmtui.errors import UsageError
from crmtui.model import FieldSpec, FieldType, Record, jsonable
from crmtui.model.filter import email_field

NAME = re.compile(r"[A-Za-z0-9_]{1,60}")
TEXTUAL = (FieldType.STRING, FieldType.TEXT, FieldType.EMAIL, FieldType.PHONE, FieldType.URL)


@dataclass(frozen=True)
class Layout:
    """Where an entity's fields live: table, column per field, the full-text columns."""

    entity: str
    fields: tuple[FieldSpec, ...]
    fts: tuple[str, ...]  # field names in the full-text index

    @property
    def table(self) -> str:
        """The records table."""
        if not NAME.fullmatch(self.entity):
            raise UsageError(f"entity name {self.entity!r} cannot be mirrored")
        return f"r_{self.entity}"

    @property
    def fts_table(self) -> str:
        """The full-text index over `fts`."""
        return f"f_{self.entity}"

    def column(self, name: str) -> str:
        """The column of field `name`."""
        for i, spec in enumerate(self.fields):
            if spec.name == name:
                return f"c{i}"
        raise UsageError(f"{name!r} is not a mirrored field of {self.entity}")

    def spec(self, name: str) -> FieldSpec | None:
        """The field called `name`."""
        return next((f for f in self.fields if f.name == name), None)

    def schema(self) -> list[str]:
        """Statements that create the tables, indexes and triggers."""
        cols = ", ".join(f"c{i}" for i in range(len(self.fields)))
        t = self.table
        statements = [
            f"CREATE TABLE IF NOT EXISTS {t} (k INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
            f"g INTEGER NOT NULL DEFAULT 0, extra TEXT{', ' + cols if cols else ''})",
        ]
        email = email_field(list(self.fields))
        if email is not None:
            c = self.column(email.name)
            statements.append(f"CREATE INDEX IF NOT EXISTS {t}_{c} ON {t}({c} COLLATE NOCASE)")
        if self.fts:
            statements += self.fts_schema()
        return statements

    def fts_schema(self) -> list[str]:
        """The full-text table (external content) and the triggers that keep it in step."""
        t, f = self.table, self.fts_table
        names = ", ".join(self.column(n) for n in self.fts)
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {f} USING fts5({names}, content='{t}', "
            "content_rowid='k', tokenize='trigram')",
            *self.triggers(),
        ]

    def triggers(self) -> list[str]:
        """The triggers alone (a bulk load drops them and rebuilds the index once)."""
        t, f = self.table, self.fts_table
        cols = [self.column(n) for n in self.fts]
        names = ", ".join(cols)
        new = ", ".join(f"new.{c}" for c in cols)
        old = ", ".join(f"old.{c}" for c in cols)
        delete = f"INSERT INTO {f}({f}, rowid, {names}) VALUES ('delete', old.k, {old});"
        insert = f"INSERT INTO {f}(rowid, {names}) VALUES (new.k, {new});"
        return [
            f"CREATE TRIGGER IF NOT EXISTS {t}_ai AFTER INSERT ON {t} BEGIN {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {t}_ad AFTER DELETE ON {t} BEGIN {delete} END",
            f"CREATE TRIGGER IF NOT EXISTS {t}_au AFTER UPDATE ON {t} BEGIN {delete} {insert} END",
        ]

    def drop_triggers(self) -> list[str]:
        """Statements dropping the triggers."""
        return [f"DROP TRIGGER IF EXISTS {self.table}_{s}" for s in ("ai", "ad", "au")]

    def columns_json(self) -> str:
        """The layout as stored in the mirror's catalogue."""
        return json.dumps(
            {"fields": [[f.name, f.label, f.type.value] for f in self.fields], "fts": self.fts}
        )

    @classmethod
    def from_json(cls, entity: str, text: str) -> Layout:
        """A layout read back from the catalogue."""
        data = json.loads(text)
        fields = tuple(FieldSpec(n, label, FieldType(t)) for n, label, t in data["fields"])
        return cls(entity, fields, tuple(data["fts"]))


def layout_for(entity: str, fields: Sequence[FieldSpec], text_fields: Sequence[str]) -> Layout:
    """The layout of `entity`: every field; names, company and email in the full-text index."""
    known = {f.name for f in fields}
    email = email_field(list(fields))
    fts = [n for n in text_fields if n in known]
    if email is not None:
        fts.append(email.name)
    return Layout(entity, tuple(fields), tuple(dict.fromkeys(fts)))


def encode(value: Any, spec: FieldSpec) -> Any:
    """A typed value as a column value (text for decimals and dates, so nothing is lost)."""
    if value is None or (isinstance(value, int | float | str) and not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return json.dumps(jsonable(value), ensure_ascii=False)


def decode(value: Any, spec: FieldSpec) -> Any:
    """A column value back as the typed value."""
    if value is None:
        return None
    kind = spec.type
    try:
        if kind is FieldType.BOOLEAN:
            return bool(value)
        if kind is FieldType.DECIMAL and isinstance(value, str):
            return Decimal(value)
        if kind is FieldType.DATETIME and isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        if kind is FieldType.DATE and isinstance(value, str):
            return dt.date.fromisoformat(value)
    except (ValueError, ArithmeticError):
        return value
    return value


PLAIN = (str, int, float, type(None))  # stored as they are (bool is not among them)


def row_of(record: Record, layout: Layout, generation: int) -> tuple[Any, ...]:
    """The insert parameters for `record`: id, generation, extra, then one per field."""
    return rows_of([record], layout, generation)[0]


def rows_of(records: Sequence[Record], layout: Layout, generation: int) -> list[tuple[Any, ...]]:
    """`row_of` for many records, a column at a time: a column of plain values (text, numbers,
    None) is passed as is, the others are encoded value by value.

    When every record holds every field (a vendor's page), the values are read in one pass
    (`itemgetter` per record, then turned into columns), and a record has fields the layout
    does not know exactly when it has more keys than the layout has fields."""
    specs = layout.fields
    names = [f.name for f in specs]
    values = [record.values for record in records]
    cells = _cells(values, names)
    if cells is None:
        known = frozenset(names)
        cells = [list(map(dict.get, values, repeat(n))) for n in names]
        odd: Sequence[dict[str, Any]] = [v for v in values if not v.keys() <= known]
    else:
        odd = [v for v in values if len(v) > len(names)] if values else []
    columns = [_column(c, s) for c, s in zip(cells, specs, strict=True)]
    texts: list[str | None] = [None] * len(values)
    if odd:
        known = frozenset(names)
        at = {id(v): i for i, v in enumerate(values)}
        for found in odd:
            extra = {k: jsonable(v) for k, v in found.items() if k not in known}
            texts[at[id(found)]] = json.dumps(extra, ensure_ascii=False)
    ids = [record.id for record in records]
    return list(zip(ids, repeat(generation), texts, *columns))


def _cells(values: list[dict[str, Any]], names: list[str]) -> list[Sequence[Any]] | None:
    """The values of each field, a sequence per field, when every record holds every field
    (else None: the caller reads them with `dict.get`)."""
    if len(names) < 2 or not values:
        return None
    try:
        return list(zip(*map(itemgetter(*names), values), strict=True))
    except KeyError:
        return None


_PLAIN = frozenset(PLAIN)
_BOUND = _PLAIN | {bool}
"""Types the SQLite driver binds as the value `encode` makes of them: a bool binds as the
integer 1 or 0, what `encode` gives (`int(value)`); the others as they are."""


def _column(cells: Sequence[Any], spec: FieldSpec) -> Sequence[Any]:
    """One field's values as column values (`encode` each, skipped when the driver binds them
    to the same stored value)."""
    kinds = set(map(type, cells))
    if kinds <= _BOUND:
        return cells
    if kinds <= {dt.datetime, type(None)}:
        return [None if v is None else v.isoformat() for v in cells]
    return [v if type(v) in _BOUND else encode(v, spec) for v in cells]


def record_of(row: Sequence[Any], layout: Layout) -> Record:
    """A record from a row of `SELECT id, extra, c0, c1, ...`."""
    values = {f.name: decode(row[2 + i], f) for i, f in enumerate(layout.fields)}
    if row[1]:
        values.update(json.loads(row[1]))
    return Record(layout.entity, str(row[0]), values, {})


def select_columns(layout: Layout) -> str:
    """The columns `record_of` reads."""
    return ", ".join(["id", "extra", *(f"c{i}" for i in range(len(layout.fields)))])


def by_name(fields: Sequence[FieldSpec]) -> Mapping[str, FieldSpec]:
    """Fields by system name."""
    return {f.name: f for f in fields}
