"""Bulk updates (from CSV rows or a selection): each row journaled and checked like any edit.

Like Salesforce Data Loader, a run yields a success list and an error list; an error row is the
original row plus the reason, so the error file can be fixed and applied again as it is.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from crmtui.errors import CrmError, UsageError, describe, storage_error
from crmtui.files import write_atomic
from crmtui.model import Record
from crmtui.model.sanitize import csv_cell, inert
from crmtui.services.edits import EditConflict, masked, save_changes
from crmtui.services.reconcile import same
from crmtui.services.session import Session
from crmtui.services.write_policy import WritePath, changes_from, ensure_allowed

REASON = "error"  # the column an error file adds; ignored when the file is applied again
JOURNAL = "journal"  # the journal entry of a row that is kept pending (conflict, unknown)


@dataclass
class RowResult:
    """The outcome of one row."""

    index: int
    row: dict[str, str]
    ok: bool
    status: str  # updated, unchanged, or the error title
    message: str = ""
    record: Record | None = None  # the record as saved (updated rows only)


@dataclass
class BulkResult:
    """Every row's outcome, in input order."""

    batch: str
    results: list[RowResult] = field(default_factory=list)

    @property
    def succeeded(self) -> list[RowResult]:
        """Rows applied (or already as asked)."""
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[RowResult]:
        """Rows not applied, each with its reason."""
        return [r for r in self.results if not r.ok]


async def bulk_update(
    session: Session,
    entity: str,
    rows: Sequence[Mapping[str, str]],
    *,
    id_column: str = "id",
    concurrency: int = 4,
    on_row: Callable[[RowResult], None] | None = None,
) -> BulkResult:
    """Update one record per row (`id_column` names it; other columns are fields to set).

    Empty cells are left alone; a column named `error` or `journal` (from an error file) is
    ignored. A row fails on its own (bad value, record gone, changed elsewhere) without
    stopping the others.
    """
    ensure_allowed(session.profile, WritePath.BULK)
    if rows and id_column not in rows[0]:
        raise UsageError(f"no {id_column!r} column; the columns are: {', '.join(rows[0])}")
    known = {f.name for f in await session.backend.fields(entity)}
    columns = [c for c in (rows[0] if rows else {}) if c not in (id_column, REASON, JOURNAL)]
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise UsageError(f"unknown {entity} fields in the header: {', '.join(unknown)}")
    batch = uuid.uuid4().hex[:8]
    result = BulkResult(batch, [RowResult(i, dict(r), False, "") for i, r in enumerate(rows)])
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(item: RowResult) -> None:
        async with gate:
            await _apply_row(session, entity, item, id_column, columns, batch)
        if on_row is not None:
            on_row(item)

    await asyncio.gather(*(one(item) for item in result.results))
    return result


async def _apply_row(
    session: Session,
    entity: str,
    item: RowResult,
    id_column: str,
    columns: Sequence[str],
    batch: str,
) -> None:
    row = item.row
    record_id = (row.get(id_column) or "").strip()
    wanted = {c: row[c] for c in columns if (row.get(c) or "") != ""}
    try:
        if not record_id:
            raise UsageError(f"no {id_column}")
        checked = changes_from(await session.backend.validator(entity), wanted)  # once
        current = await session.backend.get(entity, record_id)
        specs = {f.name: f for f in await session.backend.fields(entity)}
        names = [
            c.field
            for c in checked
            if not same(current.values.get(c.field), c.new, specs.get(c.field))
        ]
        if not names:
            item.ok, item.status = True, "unchanged"
            return
        changes = checked.only(names, current.values)
        item.record = await save_changes(
            session, entity, record_id, changes, current=current, batch=batch, path=WritePath.BULK
        )
        item.ok, item.status = True, "updated"
    except EditConflict as exc:
        item.status, item.message = exc.title, exc.message
        item.row[JOURNAL] = exc.entry.id
    except CrmError as exc:
        info = describe(exc)
        item.status, item.message = info.title, info.message
    item.message = inert(masked(session, item.message))


def cell(value: object) -> str:
    """A typed value as a CSV cell that validates back to the same value (true/false, ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def selection_rows(
    ids: Iterable[str], values: Mapping[str, object], *, id_column: str = "id"
) -> list[dict[str, str]]:
    """The rows of a bulk edit of a selection: the same values for every id, as CSV cells.

    Written out as the error file, these rows are what `crmtui bulk update` applies again.
    """
    cells = {name: cell(value) for name, value in values.items()}
    return [{id_column: record_id, **cells} for record_id in ids]


def run_path(directory: Path, profile: str, entity: str, when: dt.datetime | None = None) -> Path:
    """A CSV path naming one bulk edit (its success and error files are derived from it)."""
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = f"bulk-{profile}-{entity}-{stamp}"
    return directory / ("".join(c if c.isalnum() or c in "-_." else "_" for c in name) + ".csv")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file with a header line (UTF-8, a BOM allowed)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [dict(row) for row in csv.DictReader(handle)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None


def result_paths(path: Path) -> tuple[Path, Path]:
    """FILE.success.csv and FILE.errors.csv beside FILE.csv (an errors file gives errors.csv)."""
    stem = path.name.removesuffix(".csv").removesuffix(".errors").removesuffix(".success")
    return path.with_name(f"{stem}.success.csv"), path.with_name(f"{stem}.errors.csv")


def results_base(path: Path, profile: str, entity: str) -> Path:
    """The path result files are named after: `path` itself when it is a regular file, else
    (a device such as /dev/null, a pipe) a fresh name in the current directory."""
    if path.is_file():
        return path
    return run_path(Path.cwd(), profile, entity)


def write_results(result: BulkResult, path: Path, header: Sequence[str]) -> tuple[Path, Path]:
    """Write the success file (row + status) and the error file (row + reason); their paths."""
    success, errors = result_paths(path)
    base = [c for c in header if c not in (REASON, JOURNAL)]
    _write(success, [*base, "status"], ({**r.row, "status": r.status} for r in result.succeeded))
    _write(
        errors,
        [*base, REASON, JOURNAL],
        ({**r.row, REASON: f"{r.status}: {r.message}"} for r in result.failed),
    )
    return success, errors


def _write(path: Path, header: Sequence[str], rows: Any) -> None:
    """Write a result file atomically, mode 0600 (it holds record data), cells made inert."""
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=list(header), extrasaction="ignore")
    writer.writerow({name: csv_cell(name, guard=False) for name in header})
    for row in rows:
        writer.writerow({k: csv_cell(str(v), guard=False) for k, v in row.items()})
    try:
        write_atomic(path, text.getvalue())
    except OSError as exc:
        raise storage_error(
            path,
            exc,
            "the rows were applied as the journal shows (crmtui outbox lists those "
            "not applied); only this result file is missing",
        ) from None
