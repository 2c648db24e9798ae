"""A profile's local mirror: a SQLite copy of each entity's records (mode 0600), searched fast.

One file per profile in the user data dir. The catalogue says, per entity, the layout, when it
was last synced and whether the copy is complete; only a complete copy answers searches.
Reads and writes share one connection behind a lock (callers run them in a thread).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from crmtui.model import Record, Sort
from crmtui.model.filter import Expr
from crmtui.services.mirror_catalogue import CATALOGUE, EntityState, ago, mirror_path
from crmtui.services.mirror_fill import MirrorFill
from crmtui.services.mirror_query import keys_sql, order_sql, where_sql
from crmtui.services.mirror_sql import record_of, select_columns

__all__ = ["CATALOGUE", "EntityState", "Mirror", "ago", "mirror_path"]

T = TypeVar("T")


class Mirror(MirrorFill):
    """The mirror file of one profile: catalogue (`MirrorCatalogue`), writes (`MirrorFill`)
    and the reads searches and lists make."""

    @classmethod
    def for_profile(cls, profile: str, data_dir: Path | None = None) -> Mirror:
        """Open (or create) the mirror of `profile`."""
        return cls(mirror_path(profile, data_dir))

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
