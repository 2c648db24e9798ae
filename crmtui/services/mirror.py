"""A profile's local mirror: a SQLite copy of each entity's records (mode 0600), searched fast.

One file per profile in the user data dir. The catalogue says, per entity, the layout, when it
was last synced and whether the copy is complete; only a complete copy answers searches.
Reads and writes share one connection behind a lock (callers run them in a thread).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from crmtui.model import Record, Sort
from crmtui.model.filter import Expr
from crmtui.profiles import locations
from crmtui.services.mirror_query import fts_match, keys_sql, order_sql, where_sql
from crmtui.services.mirror_sql import Layout, record_of, rows_of, select_columns

T = TypeVar("T")

CATALOGUE = """CREATE TABLE IF NOT EXISTS catalogue (
    entity TEXT PRIMARY KEY, layout TEXT NOT NULL, synced_at REAL, complete INTEGER NOT NULL
    DEFAULT 0, generation INTEGER NOT NULL DEFAULT 0, cursor TEXT)"""


@dataclass(frozen=True)
class EntityState:
    """What the mirror holds of one entity."""

    entity: str
    count: int
    synced_at: float | None
    complete: bool
    cursor: str | None  # the vendor's change marker of the last sync (a timestamp)

    def age(self, now: float | None = None) -> str:
        """'synced 2 min ago', 'never synced'."""
        if self.synced_at is None:
            return "never synced"
        return f"synced {ago((now or time.time()) - self.synced_at)}"


def ago(seconds: float) -> str:
    """A duration as a person says it: 'just now', '2 min ago', '3 h ago', '2 days ago'."""
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    if seconds < 86400 * 2:
        return f"{round(seconds / 3600)} h ago"
    return f"{round(seconds / 86400)} days ago"


def mirror_path(profile: str, data_dir: Path | None = None) -> Path:
    """The mirror file of `profile` (a safe file name, whatever the profile is called)."""
    folder = (data_dir or locations.data_dir()) / "mirror"
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile)[:40]
    digest = hashlib.sha256(profile.encode()).hexdigest()[:8]
    return folder / f"{safe}-{digest}.sqlite3"


class Mirror:
    """The mirror file of one profile."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        os.chmod(path, 0o600)
        self.lock = threading.RLock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(CATALOGUE)
        self._layouts: dict[str, Layout] = {}
        self.revision = 0  # bumped by every write: cached counts know when they are stale
        self._counts: dict[str, tuple[int, int]] = {}
        self._synced: dict[str, tuple[int, float | None]] = {}
        self._dense_cache: dict[str, tuple[int, int | None]] = {}
        for side in ("-wal", "-shm"):
            extra = Path(f"{path}{side}")
            if extra.exists():
                os.chmod(extra, 0o600)

    @classmethod
    def for_profile(cls, profile: str, data_dir: Path | None = None) -> Mirror:
        """Open (or create) the mirror of `profile`."""
        return cls(mirror_path(profile, data_dir))

    def close(self) -> None:
        """Close the file."""
        with self.lock:
            self.db.close()

    # -- catalogue -------------------------------------------------------------------------------
    def layout(self, entity: str) -> Layout | None:
        """The stored layout of `entity`, if it is mirrored."""
        if entity in self._layouts:
            return self._layouts[entity]
        with self.lock:
            row = self.db.execute(
                "SELECT layout FROM catalogue WHERE entity = ?", (entity,)
            ).fetchone()
        if row is None:
            return None
        self._layouts[entity] = Layout.from_json(entity, row[0])
        return self._layouts[entity]

    def prepare(self, layout: Layout) -> None:
        """Create `layout`'s tables; a changed layout (fields added) starts the copy again."""
        old = self.layout(layout.entity)
        if old is not None and old.columns_json() == layout.columns_json():
            return
        with self.lock:
            if old is not None:
                self._drop(old)
            for statement in layout.schema():
                self.db.execute(statement)
            self.db.execute(
                "INSERT OR REPLACE INTO catalogue (entity, layout) VALUES (?, ?)",
                (layout.entity, layout.columns_json()),
            )
        self._layouts[layout.entity] = layout

    def _drop(self, layout: Layout) -> None:
        for statement in layout.drop_triggers():
            self.db.execute(statement)
        self.db.execute(f"DROP TABLE IF EXISTS {layout.fts_table}")
        self.db.execute(f"DROP TABLE IF EXISTS {layout.table}")
        self.db.execute("DELETE FROM catalogue WHERE entity = ?", (layout.entity,))
        self._layouts.pop(layout.entity, None)

    def state(self, entity: str) -> EntityState | None:
        """What is mirrored of `entity`."""
        layout = self.layout(entity)
        if layout is None:
            return None
        with self.lock:
            synced, complete, cursor = self.db.execute(
                "SELECT synced_at, complete, cursor FROM catalogue WHERE entity = ?", (entity,)
            ).fetchone()
        return EntityState(entity, self.count(entity), synced, bool(complete), cursor)

    def states(self) -> list[EntityState]:
        """Every mirrored entity."""
        with self.lock:
            names = [r[0] for r in self.db.execute("SELECT entity FROM catalogue ORDER BY 1")]
        return [s for n in names if (s := self.state(n)) is not None]

    def ready(self, entity: str) -> bool:
        """Whether `entity` has a complete copy (only then does the mirror answer)."""
        if self.layout(entity) is None:
            return False
        with self.lock:
            row = self.db.execute(
                "SELECT complete FROM catalogue WHERE entity = ?", (entity,)
            ).fetchone()
        return bool(row and row[0])

    def synced_at(self, entity: str) -> float | None:
        """When `entity` was last synced (cached until the next write)."""
        cached = self._synced.get(entity)
        if cached is not None and cached[0] == self.revision:
            return cached[1]
        revision = self.revision
        with self.lock:
            row = self.db.execute(
                "SELECT synced_at FROM catalogue WHERE entity = ?", (entity,)
            ).fetchone()
        when = float(row[0]) if row and row[0] is not None else None
        self._synced[entity] = (revision, when)
        return when

    def mark_synced(
        self, entity: str, *, complete: bool | None = None, cursor: str | None = None
    ) -> None:
        """Record a sync's end (and the vendor's change marker)."""
        with self.lock:
            self.revision += 1
            self.db.execute(
                "UPDATE catalogue SET synced_at = ?, complete = coalesce(?, complete), "
                "cursor = coalesce(?, cursor) WHERE entity = ?",
                (time.time(), None if complete is None else int(complete), cursor, entity),
            )

    def generation(self, entity: str, *, bump: bool = False) -> int:
        """The sync generation (a full sync bumps it, then sweeps rows it did not see)."""
        with self.lock:
            if bump:
                self.db.execute(
                    "UPDATE catalogue SET generation = generation + 1 WHERE entity = ?", (entity,)
                )
            row = self.db.execute(
                "SELECT generation FROM catalogue WHERE entity = ?", (entity,)
            ).fetchone()
        return int(row[0]) if row else 0

    # -- writes ----------------------------------------------------------------------------------
    def upsert(self, entity: str, records: Sequence[Record], generation: int | None = None) -> None:
        """Insert or replace `records` (each keeps its place in the list when already there)."""
        layout = self.layout(entity)
        if layout is None or not records:
            return
        gen = self.generation(entity) if generation is None else generation
        cols = ", ".join(f"c{i}" for i in range(len(layout.fields)))
        marks = ", ".join("?" * (3 + len(layout.fields)))
        sets = ", ".join(f"{c}=excluded.{c}" for c in ["g", "extra", *cols.split(", ")] if c)
        sql = (
            f"INSERT INTO {layout.table} (id, g, extra{', ' + cols if cols else ''}) "
            f"VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {sets}"
        )
        with self.lock:
            self.revision += 1
            self.db.execute("BEGIN")
            try:
                self.db.executemany(sql, rows_of(records, layout, gen))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def delete(self, entity: str, record_id: str) -> None:
        """Forget a deleted record."""
        layout = self.layout(entity)
        if layout is not None:
            with self.lock:
                self.revision += 1
                self.db.execute(f"DELETE FROM {layout.table} WHERE id = ?", (record_id,))

    def sweep(self, entity: str, generation: int) -> int:
        """Delete rows a full sync of `generation` did not see; returns how many."""
        layout = self.layout(entity)
        if layout is None:
            return 0
        with self.lock:
            self.revision += 1
            cursor = self.db.execute(f"DELETE FROM {layout.table} WHERE g < ?", (generation,))
        return cursor.rowcount

    def bulk_load(self, layout: Layout, rows: Iterable[tuple[Any, ...]]) -> None:
        """Fill an empty entity fast: rows straight in, the text index built once at the end."""
        self.prepare(layout)
        cols = ", ".join(f"c{i}" for i in range(len(layout.fields)))
        marks = ", ".join("?" * (3 + len(layout.fields)))
        with self.lock:
            self.revision += 1
            for statement in layout.drop_triggers():
                self.db.execute(statement)
            self.db.execute("BEGIN")
            self.db.executemany(
                f"INSERT INTO {layout.table} (id, g, extra, {cols}) VALUES ({marks})", rows
            )
            self.db.execute("COMMIT")
            if layout.fts:
                self.db.execute(
                    f"INSERT INTO {layout.fts_table}({layout.fts_table}) VALUES ('rebuild')"
                )
                for statement in layout.triggers():
                    self.db.execute(statement)
        self.mark_synced(layout.entity, complete=True)

    def begin_bulk(self, entity: str) -> None:
        """A full copy follows: the text index waits for `end_bulk` (one rebuild, not a
        trigger per row; ten times faster at the vendor's pace)."""
        layout = self._need(entity)
        with self.lock:
            # the whole copy's pages stay in memory: a commit per page writes, never re-reads
            self.db.execute("PRAGMA cache_size=-65536")
            for statement in layout.drop_triggers():
                self.db.execute(statement)

    def end_bulk(self, entity: str) -> None:
        """Rebuild the text index once and follow each write again."""
        layout = self._need(entity)
        with self.lock:
            self.revision += 1
            if layout.fts:
                f = layout.fts_table
                self.db.execute(f"INSERT INTO {f}({f}) VALUES ('rebuild')")
                for statement in layout.triggers():
                    self.db.execute(statement)
            self.db.execute("PRAGMA cache_size=-2000")

    def clear(self, entity: str | None = None) -> None:
        """Forget one entity's copy, or everything."""
        with self.lock:
            self.revision += 1
            for name in [entity] if entity else [s.entity for s in self.states()]:
                layout = self.layout(name)
                if layout is not None:
                    self._drop(layout)
            if entity is None:
                self.db.execute("VACUUM")

    # -- reads -----------------------------------------------------------------------------------
    def within(self, seconds: float, read: Callable[[], T]) -> tuple[bool, T | None]:
        """(True, what `read` returns) when it ends within `seconds`, else (False, None): the
        reads are interrupted at the deadline (or not begun while a write holds the file).

        For the UI's thread: an indexed lookup answers at once, a scan is left to a worker.
        """
        if not self.lock.acquire(timeout=seconds / 4):
            return False, None
        try:
            deadline = time.perf_counter() + seconds
            self.db.set_progress_handler(lambda: int(time.perf_counter() > deadline), 1000)
            try:
                return True, read()
            except sqlite3.OperationalError as exc:
                if "interrupt" not in str(exc):
                    raise
                return False, None
            finally:
                self.db.set_progress_handler(None, 0)
        finally:
            self.lock.release()

    def count(self, entity: str, expr: Expr | None = None) -> int:
        """How many records (matching `expr`); the plain count is cached until a write."""
        if expr is None:
            cached = self._counts.get(entity)
            if cached is not None and cached[0] == self.revision:
                return cached[1]
            revision = self.revision
            total = self._count(entity, None)
            self._counts[entity] = (revision, total)
            return total
        return self._count(entity, expr)

    def _count(self, entity: str, expr: Expr | None) -> int:
        layout = self._need(entity)
        match = fts_match(expr, layout) if expr else None
        if match is not None:  # the index alone counts it
            f = layout.fts_table
            sql, params = f"SELECT count(*) FROM {f} WHERE {f} MATCH ?", [match]
        else:
            where, params = where_sql(expr, layout) if expr else ("1", [])
            sql = f"SELECT count(*) FROM {layout.table} WHERE {where}"
        with self.lock:
            return int(self.db.execute(sql, params).fetchone()[0])

    def page(
        self,
        entity: str,
        offset: int,
        limit: int,
        *,
        sort: Sort | None = None,
        expr: Expr | None = None,
    ) -> list[Record]:
        """Records from `offset` in the list's order (matching `expr` when given)."""
        layout = self._need(entity)
        first = self._dense(entity) if sort is None and not expr else None
        if first is not None:  # rows numbered without gaps: a page is a key range, no OFFSET
            columns, table = select_columns(layout), layout.table
            sql = f"SELECT {columns} FROM {table} WHERE k >= ? ORDER BY k LIMIT ?"
            with self.lock:
                rows = self.db.execute(sql, (first + offset, limit)).fetchall()
            return [record_of(r, layout) for r in rows]
        where, params = where_sql(expr, layout) if expr else ("1", [])
        sql = (
            f"SELECT {select_columns(layout)} FROM {layout.table} WHERE {where} "
            f"ORDER BY {order_sql(sort, layout)} LIMIT ? OFFSET ?"
        )
        with self.lock:
            rows = self.db.execute(sql, [*params, limit, offset]).fetchall()
        return [record_of(r, layout) for r in rows]

    def _dense(self, entity: str) -> int | None:
        """The first key when the keys run without gaps (row n is key first + n), else None.

        True until a record is deleted; cached until the next write.
        """
        cached = self._dense_cache.get(entity)
        if cached is not None and cached[0] == self.revision:
            return cached[1]
        revision = self.revision
        layout = self._need(entity)
        total = self.count(entity)
        with self.lock:
            low, high = self.db.execute(  # each alone reads one end of the key's tree
                f"SELECT (SELECT min(k) FROM {layout.table}), (SELECT max(k) FROM {layout.table})"
            ).fetchone()
        first = low if total and high - low + 1 == total else None
        self._dense_cache[entity] = (revision, first)
        return first

    def positions(self, entity: str, expr: Expr, sort: Sort | None = None) -> list[int]:
        """Where the matches of `expr` sit in the whole list (0-based rows, in order)."""
        layout = self._need(entity)
        t = layout.table
        first = self._dense(entity) if sort is None else None
        with self.lock:
            if sort is None:
                sql, params = keys_sql(expr, layout)
                keys = [r[0] for r in self.db.execute(sql, params)]
                if first is not None:
                    return [k - first for k in keys]
                if len(keys) <= 2000:
                    return self._ranks(t, keys)
            where, params = where_sql(expr, layout)
            order = order_sql(sort, layout)
            sql = (
                f"SELECT n FROM (SELECT k, row_number() OVER (ORDER BY {order}) - 1 AS n "
                f"FROM {t}) WHERE k IN (SELECT k FROM {t} WHERE {where}) ORDER BY n"
            )
            return [r[0] for r in self.db.execute(sql, params)]

    def first_position(self, entity: str, expr: Expr, sort: Sort | None = None) -> int | None:
        """Where the first match of `expr` sits in the list (None: no match), the others not
        looked for: in the list's own order a common name among a million costs no more than
        a rare one."""
        if sort is not None:
            found = self.positions(entity, expr, sort)
            return found[0] if found else None
        layout = self._need(entity)
        sql, params = keys_sql(expr, layout)
        first = self._dense(entity)
        with self.lock:
            row = self.db.execute(f"{sql} LIMIT 1", params).fetchone()
            if row is None:
                return None
            key = int(row[0])
            return key - first if first is not None else self._ranks(layout.table, [key])[0]

    def _ranks(self, table: str, keys: list[int]) -> list[int]:
        """Rows before each key (keys ascending): one walk over the table in all."""
        ranks: list[int] = []
        done, last = 0, None
        for key in keys:
            if last is None:
                between = self.db.execute(f"SELECT count(*) FROM {table} WHERE k < ?", (key,))
            else:
                between = self.db.execute(
                    f"SELECT count(*) FROM {table} WHERE k >= ? AND k < ?", (last, key)
                )
            done += between.fetchone()[0]
            ranks.append(done)
            last = key
        return ranks

    def get(self, entity: str, record_id: str) -> Record | None:
        """One mirrored record by id."""
        layout = self._need(entity)
        with self.lock:
            row = self.db.execute(
                f"SELECT {select_columns(layout)} FROM {layout.table} WHERE id = ?", (record_id,)
            ).fetchone()
        return None if row is None else record_of(row, layout)

    def _need(self, entity: str) -> Layout:
        layout = self.layout(entity)
        if layout is None:
            raise LookupError(f"{entity} is not mirrored")
        return layout
