"""Records as a table, JSON, JSON lines or CSV; shared by `crmtui list` and the UI export."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import AsyncIterable, Callable, Sequence
from typing import Any, TextIO

from crmtui.backends.base import Backend
from crmtui.errors import UsageError
from crmtui.model import FieldSpec, Query, Record, format_value, jsonable
from crmtui.model.sanitize import inert
from crmtui.services.paging import Progress, iter_records

FORMATS = ("table", "json", "jsonl", "csv")


def record_json(record: Record, columns: Sequence[str] | None = None) -> dict[str, Any]:
    """A record as a JSON object: its id and its typed values."""
    names = columns if columns is not None else list(record.values)
    return {"id": record.id, **{n: jsonable(record.values.get(n)) for n in names}}


async def write_records(
    records: AsyncIterable[Record],
    fmt: str,
    out: TextIO,
    columns: Sequence[str] | None = None,
    specs: Sequence[FieldSpec] = (),
) -> int:
    """Stream `records` to `out` in `fmt`; returns how many were written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    by_name = {s.name: s for s in specs}
    count = 0
    if fmt == "json":
        out.write("[")
        async for record in records:
            out.write(",\n" if count else "\n")
            out.write(json.dumps(record_json(record, columns), ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
        return count
    if fmt == "jsonl":
        async for record in records:
            out.write(json.dumps(record_json(record, columns), ensure_ascii=False) + "\n")
            count += 1
        return count
    if fmt == "csv":
        writer: Any = None
        async for record in records:
            names = list(columns) if columns is not None else list(record.values)
            if writer is None:
                writer = csv.writer(out)
                writer.writerow(["id", *names])
            writer.writerow([record.id, *(_csv_cell(record.values.get(n)) for n in names)])
            count += 1
        return count
    rows = [record async for record in records]
    out.write(render_table(rows, columns, by_name))
    return len(rows)


def _csv_cell(value: Any) -> str:
    text = format_value(value)
    # Spreadsheet formula injection: a cell starting with = + - @ runs as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def render_table(
    records: Sequence[Record],
    columns: Sequence[str] | None,
    specs: dict[str, FieldSpec] | None = None,
    width: int | None = None,
) -> str:
    """An aligned plain-text table that fits the terminal; vendor text made inert."""
    if not records:
        return "(no records)\n"
    names = list(columns) if columns is not None else list(records[0].values)
    specs = specs or {}
    header = ["id", *names]
    body = [
        [inert(r.id), *(inert(format_value(r.values.get(n), specs.get(n))) for n in names)]
        for r in records
    ]
    widths = [min(40, max(len(row[i]) for row in [header, *body])) for i in range(len(header))]
    limit = width or shutil.get_terminal_size((160, 24)).columns
    shown = 0
    used = 0
    for w in widths:
        if used + w + 2 > limit and shown:
            break
        used += w + 2
        shown += 1
    lines = []
    for row in [header, *body]:
        cells = [_fit(row[i], widths[i]) for i in range(shown)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


async def export_view(
    backend: Backend,
    entity: str,
    query: Query,
    fmt: str,
    out: TextIO,
    *,
    limit: int | None = None,
    concurrency: int = 4,
    on_progress: Callable[[Progress], None] | None = None,
) -> int:
    """Fetch `entity` by `query` (all of it, or `limit` records) and write it in `fmt`."""
    specs = await backend.fields(entity)
    records = iter_records(
        backend, entity, query, limit=limit, concurrency=concurrency, on_progress=on_progress
    )
    return await write_records(records, fmt, out, query.fields, specs)
