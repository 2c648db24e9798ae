"""Records as a table, JSON, JSON lines or CSV; shared by `crmtui list` and the UI export."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from collections.abc import AsyncIterable, AsyncIterator, Callable, Sequence
from contextlib import aclosing
from decimal import Decimal
from typing import Any, TextIO

from crmtui.backends.base import Backend
from crmtui.errors import UsageError
from crmtui.model import FieldSpec, FieldType, Query, Record, format_value, jsonable
from crmtui.model.sanitize import csv_cell, inert, json_inert
from crmtui.services.paging import Progress, iter_pages

FORMATS = ("table", "json", "jsonl", "csv")
_LABELLED = (FieldType.CHOICE, FieldType.REFERENCE)
_BATCH = 500  # records a table formats at a time
_MAX_WIDTH = 40  # characters of a table column at most


def _typed_json(value: object) -> str:
    """What `jsonable` makes of the values JSON has no type for; anything else is an error."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# json.dumps(record_json(record), ensure_ascii=False), with the typed values converted by the
# encoder as it meets them rather than a Python call per value beforehand. Its text is only ever
# written through `json_inert` (a page at a time).
_dumps = json.JSONEncoder(ensure_ascii=False, default=_typed_json).encode


def _record_text(record: Record, columns: Sequence[str] | None) -> str:
    """`record_json(record, columns)` as JSON text."""
    values = record.values
    if columns is None:
        return _dumps({"id": record.id, **values})
    return _dumps({"id": record.id, **{n: values.get(n) for n in columns}})


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
    return await write_pages(_batches(records), fmt, out, columns, specs)


async def _batches(records: AsyncIterable[Record]) -> AsyncIterator[list[Record]]:
    batch: list[Record] = []
    async for record in records:
        batch.append(record)
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


async def write_pages(
    pages: AsyncIterable[Sequence[Record]],
    fmt: str,
    out: TextIO,
    columns: Sequence[str] | None = None,
    specs: Sequence[FieldSpec] = (),
) -> int:
    """`write_records` for records that arrive a page at a time (one write per page)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    by_name = {s.name: s for s in specs}
    count = 0
    if fmt == "json":
        out.write("[")
        async for page in pages:
            text = json_inert(",\n".join(_record_text(r, columns) for r in page))
            out.write(("," if count else "") + "\n" + text if page else "")
            count += len(page)
        out.write("\n]\n" if count else "]\n")
        return count
    if fmt == "jsonl":
        async for page in pages:
            out.write(json_inert("".join(_record_text(r, columns) + "\n" for r in page)))
            count += len(page)
        return count
    if fmt == "csv":
        writer: Any = None
        async for page in pages:
            for record in page:
                names = list(columns) if columns is not None else list(record.values)
                if writer is None:
                    writer = csv.writer(out)
                    writer.writerow([csv_cell(n) for n in ["id", *names]])
                values = record.values
                cells = (csv_cell(format_value(values.get(n))) for n in names)
                writer.writerow([csv_cell(record.id), *cells])
            count += len(page)
        return count
    table = Table(columns, by_name)
    async for page in pages:
        table.add(page)
    out.write(table.render())
    return table.count


def render_table(
    records: Sequence[Record],
    columns: Sequence[str] | None,
    specs: dict[str, FieldSpec] | None = None,
    width: int | None = None,
) -> str:
    """An aligned plain-text table that fits the terminal; vendor text made inert."""
    table = Table(columns, specs, width)
    table.add(records)
    return table.render()


class Table:
    """The table of `render_table`, built from batches of records as they arrive.

    Each column is as wide as its widest cell (at most 40); columns are shown left to right while
    they fit in `width` (the terminal's). Widths only grow, so a column that no longer fits never
    will: it is dropped, and later batches format only the columns still shown. 100,000 records
    of 30 fields thus cost a few columns of text, not the records themselves.
    """

    def __init__(
        self,
        columns: Sequence[str] | None,
        specs: dict[str, FieldSpec] | None = None,
        width: int | None = None,
    ) -> None:
        self.columns = None if columns is None else list(columns)
        self.specs = specs or {}
        self.limit = width or shutil.get_terminal_size((160, 24)).columns
        self.count = 0
        self._names: list[str] = []
        self._titles: list[str] = []
        self._cells: list[list[str]] = []
        self._widths: list[int] = []

    def add(self, records: Sequence[Record]) -> None:
        """Format the shown columns of `records` (in order, after the earlier batches)."""
        if not records:
            return
        if not self.count:
            names = self.columns if self.columns is not None else list(records[0].values)
            self._names = ["", *names]
            self._titles = [_safe(n) for n in ["id", *names]]
            self._cells = [[] for _ in self._names]
            self._widths = [min(_MAX_WIDTH, len(t)) for t in self._titles]
        self.count += len(records)
        used = 0
        for index, name in enumerate(self._names):
            if index == 0:
                cells = [_safe(r.id) for r in records]
            else:
                cells = _column(records, name, self.specs.get(name))
            widest = min(_MAX_WIDTH, max(map(len, cells)))
            w = self._widths[index] = max(self._widths[index], widest)
            if used + w + 2 > self.limit and index:
                del self._names[index:], self._titles[index:]
                del self._cells[index:], self._widths[index:]
                return
            used += w + 2
            self._cells[index].extend(cells)

    def render(self) -> str:
        """The whole table, one line a record under a header line."""
        if not self.count:
            return "(no records)\n"
        shown = [
            _cut([title, *cells], w)
            for title, cells, w in zip(self._titles, self._cells, self._widths, strict=True)
        ]
        line = "  ".join(f"{{:<{w}}}" for w in self._widths).format
        return "\n".join([text.rstrip() for text in map(line, *shown)]) + "\n"


def _cut(texts: list[str], width: int) -> list[str]:
    """`texts`, those longer than `width` cut with an ellipsis."""
    if width < _MAX_WIDTH:  # the column's own widest text: nothing to cut
        return texts
    return [t if len(t) <= width else t[: width - 1] + "…" for t in texts]


def _column(records: Sequence[Record], name: str, spec: FieldSpec | None) -> list[str]:
    """The inert display text of field `name` of every record."""
    values = [record.values.get(name) for record in records]
    if spec is not None and spec.choices and spec.type in _LABELLED:
        cells = [format_value(value, spec) for value in values]
    else:  # plain text needs no formatting
        cells = [v if v.__class__ is str else format_value(v, spec) for v in values]
    if "".join(cells).isprintable():  # the usual case: nothing for inert to replace
        return cells
    return [_safe(text) for text in cells]


def _safe(text: str) -> str:
    """`inert(text)`, skipping the regex for the usual text that has nothing to replace."""
    # isprintable() is False for every character inert replaces (Cc, Cf, tab, newline).
    return text if text.isprintable() else inert(text)


async def export_view(
    backend: Backend,
    entity: str,
    query: Query,
    fmt: str,
    out: TextIO,
    *,
    limit: int | None = None,
    concurrency: int | None = 4,
    on_progress: Callable[[Progress], None] | None = None,
) -> int:
    """Fetch `entity` by `query` (all of it, or `limit` records) and write it in `fmt`
    (`concurrency=None`: enough pages in flight to keep the vendor's rate window full)."""
    specs = await backend.fields(entity)
    pages = iter_pages(
        backend, entity, query, limit=limit, concurrency=concurrency, on_progress=on_progress
    )
    async with aclosing(pages):
        return await write_pages(pages, fmt, out, query.fields, specs)
