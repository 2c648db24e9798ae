"""The mirror's filters as SQL: a parsed filter as a WHERE clause, or as the keys it matches.

Text conditions on the indexed columns (names, company, email) go through the FTS5 trigram
index; a filter that is all such conditions is answered by the index alone (`keys_sql`).
"""

from __future__ import annotations

from typing import Any

from crmtui.model import FieldType, Sort
from crmtui.model.filter import Expr, comparable
from crmtui.model.queries import Filter
from crmtui.services.mirror_sql import TEXTUAL, Layout


def fts_phrase(text: str) -> str:
    """`text` as one FTS5 phrase (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def _in_fts(layout: Layout) -> str:
    f = layout.fts_table
    return f"k IN (SELECT rowid FROM {f} WHERE {f} MATCH ?)"


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def condition_sql(c: Filter, layout: Layout) -> tuple[str, list[Any]]:
    """One condition as SQL over the records table."""
    spec = layout.spec(c.field)
    col = layout.column(c.field)
    kind = spec.type if spec else FieldType.STRING
    value = c.value
    if spec is not None and spec.choices and c.op == "eq":
        value = next((ch.value for ch in spec.choices if ch.label.casefold() == value.casefold()),
                     value)  # fmt: skip
    if c.op == "contains":
        if c.field in layout.fts and len(value) >= 3:
            ref = f"{{{col}}} : {fts_phrase(value)}"
            return (
                f"k IN (SELECT rowid FROM {layout.fts_table} WHERE {layout.fts_table} MATCH ?)",
                [ref],
            )
        return f"{col} LIKE ? ESCAPE '\\'", [_like(value)]
    if c.op == "eq":
        if kind in (FieldType.INTEGER, FieldType.DECIMAL):
            return f"CAST({col} AS REAL) = ?", [float(comparable(spec, value))]
        if kind is FieldType.BOOLEAN:
            return f"{col} = ?", [1 if value.strip().casefold() in ("1", "true", "yes", "y") else 0]
        return f"{col} = ? COLLATE NOCASE", [value]
    op = ">" if c.op == "gt" else "<"
    limit = comparable(spec, value)
    if kind in (FieldType.INTEGER, FieldType.DECIMAL):
        return f"CAST({col} AS REAL) {op} ?", [float(limit)]
    if kind in (FieldType.DATE, FieldType.DATETIME):
        return f"substr({col}, 1, 19) {op} ?", [limit.isoformat()[:19]]
    return f"{col} {op} ? COLLATE NOCASE", [value]


def where_sql(expr: Expr, layout: Layout) -> tuple[str, list[Any]]:
    """`expr` as a WHERE clause (without the keyword) and its parameters; "1" for none."""
    parts: list[str] = []
    params: list[Any] = []
    if expr.record_id is not None:
        parts.append("id = ?")
        params.append(expr.record_id)
    for c in expr.conditions:
        sql, more = condition_sql(c, layout)
        parts.append(sql)
        params += more
    word_cols = [layout.column(n) for n in expr.word_fields if layout.spec(n) is not None]
    for word in expr.words:
        if all(n in layout.fts for n in expr.word_fields) and len(word) >= 3 and word_cols:
            ref = "{" + " ".join(word_cols) + "} : " + fts_phrase(word)
            parts.append(
                f"k IN (SELECT rowid FROM {layout.fts_table} WHERE {layout.fts_table} MATCH ?)"
            )
            params.append(ref)
        elif word_cols:
            parts.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in word_cols) + ")")
            params += [_like(word)] * len(word_cols)
        else:
            parts.append("0")
    return (" AND ".join(parts) or "1"), params


def fts_match(expr: Expr, layout: Layout) -> str | None:
    """The whole of `expr` as one full-text query, or None when a part of it is not one.

    The same matches as `where_sql` (contains on an indexed field, words over indexed names),
    answered by the index alone: its row ids are the records' keys, in the list's order.
    """
    if expr.record_id is not None or not layout.fts:
        return None
    parts: list[str] = []
    for c in expr.conditions:
        if c.op != "contains" or c.field not in layout.fts or len(c.value) < 3:
            return None
        parts.append(f"{{{layout.column(c.field)}}} : {fts_phrase(c.value)}")
    if expr.words:
        names = [n for n in expr.word_fields if layout.spec(n) is not None]
        if not names or not all(n in layout.fts for n in expr.word_fields):
            return None
        cols = " ".join(layout.column(n) for n in names)
        for word in expr.words:
            if len(word) < 3:
                return None
            parts.append(f"{{{cols}}} : {fts_phrase(word)}")
    return " AND ".join(f"({p})" for p in parts) or None


def keys_sql(expr: Expr, layout: Layout) -> tuple[str, list[Any]]:
    """A query of the keys of the records matching `expr`, in the list's order (by key).

    A filter the full-text index answers whole reads the index only: a common name among a
    million records costs a read of its row ids, not a lookup of each record.
    """
    match = fts_match(expr, layout)
    if match is not None:
        f = layout.fts_table
        return f"SELECT rowid FROM {f} WHERE {f} MATCH ? ORDER BY rowid", [match]
    where, params = where_sql(expr, layout)
    return f"SELECT k FROM {layout.table} WHERE {where} ORDER BY k", params


def order_sql(sort: Sort | None, layout: Layout) -> str:
    """ORDER BY for the list: the sort's column, ties (and no sort) by the mirror's order."""
    if sort is None:
        return "k"
    spec = layout.spec(sort.field)
    col = layout.column(sort.field)
    if spec is not None and spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
        col = f"CAST({col} AS REAL)"
    elif spec is None or spec.type in TEXTUAL or spec.type is FieldType.CHOICE:
        col = f"{col} COLLATE NOCASE"
    direction = " DESC" if sort.descending else ""
    return f"{col}{direction}, k{direction}"
