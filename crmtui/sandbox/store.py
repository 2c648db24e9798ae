"""A generic SQLite record store shared by every vendor emulator (one namespace per vendor)."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY,
    ns TEXT NOT NULL,
    entity TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS records_id ON records(ns, entity, id);
CREATE INDEX IF NOT EXISTS records_order ON records(ns, entity);
CREATE TABLE IF NOT EXISTS seeded (
    ns TEXT PRIMARY KEY,
    info TEXT NOT NULL
);
"""

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# Field names that may be spliced into SQL (sort expressions and their indexes).
_SAFE_FIELD = re.compile(r"^[A-Za-z0-9_ ]{1,64}$")


def _path(field: str) -> str:
    """The JSON path of a top-level field, safe to splice into SQL."""
    if not _SAFE_FIELD.match(field):
        raise ValueError(f"field name not usable for sorting: {field!r}")
    return f'$."{field}"'


class Store:
    """Records as JSON objects, addressed by (namespace, entity, id), in insertion order.

    One connection guarded by a lock: enough for one uvicorn event loop plus a test thread
    reading the same store. Values keep their JSON types, so numbers sort as numbers and text
    sorts case-insensitively; empty (missing or null) values sort first in ascending order.
    An index is created the first time a field is sorted on, so later pages stay fast.
    """

    def __init__(self, path: Path | str = ":memory:") -> None:
        """Open (or create) the store at `path`; ":memory:" keeps it in memory."""
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._indexed: set[str] = set()
        # Counts are cached (a COUNT over 100,000 rows costs ms on every list page) until this
        # connection writes or SQLite's data_version says another connection has.
        self._counts: dict[tuple[str, str, str], int] = {}
        self._version: int | None = None
        with self._lock:
            journal = "MEMORY" if str(path) == ":memory:" else "WAL"
            self._conn.execute(f"PRAGMA journal_mode={journal}")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            finally:
                self._counts.clear()
            self._conn.execute("COMMIT")

    def insert(
        self, ns: str, entity: str, data: dict[str, Any], record_id: str | None = None
    ) -> str:
        """Add a record and return its id (a fresh one unless `record_id` is given)."""
        rid = record_id if record_id is not None else uuid.uuid4().hex
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO records(ns, entity, id, data) VALUES (?, ?, ?, ?)",
                (ns, entity, rid, _encode(data)),
            )
        return rid

    def insert_many(self, ns: str, entity: str, rows: Iterable[tuple[str, dict[str, Any]]]) -> int:
        """Add many (id, data) rows in one transaction; returns how many were added."""
        params = [(ns, entity, rid, _encode(data)) for rid, data in rows]
        with self._tx() as conn:
            conn.executemany(
                "INSERT INTO records(ns, entity, id, data) VALUES (?, ?, ?, ?)", params
            )
        return len(params)

    def get(self, ns: str, entity: str, record_id: str) -> dict[str, Any] | None:
        """The record's data, or None when there is no such record."""
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM records WHERE ns = ? AND entity = ? AND id = ?",
                (ns, entity, record_id),
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def update(self, ns: str, entity: str, record_id: str, data: dict[str, Any]) -> bool:
        """Merge `data` into the record's fields; False when there is no such record."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT seq, data FROM records WHERE ns = ? AND entity = ? AND id = ?",
                (ns, entity, record_id),
            ).fetchone()
            if row is None:
                return False
            merged = json.loads(row[1])
            merged.update(data)
            conn.execute("UPDATE records SET data = ? WHERE seq = ?", (_encode(merged), row[0]))
        return True

    def delete(self, ns: str, entity: str, record_id: str) -> bool:
        """Remove a record; False when there was no such record."""
        with self._tx() as conn:
            cur = conn.execute(
                "DELETE FROM records WHERE ns = ? AND entity = ? AND id = ?",
                (ns, entity, record_id),
            )
        return cur.rowcount > 0

    def _where(self, ns: str, entity: str, where: dict[str, str] | None) -> tuple[str, list[Any]]:
        clause = "ns = ? AND entity = ?"
        params: list[Any] = [ns, entity]
        for name, value in (where or {}).items():
            clause += " AND json_extract(data, ?) = ?"
            params += [f'$."{name}"', value]
        return clause, params

    def _ensure_index(self, field: str) -> str:
        path = _path(field)
        expr = f"json_extract(data, '{path}') COLLATE NOCASE"
        if field not in self._indexed:
            name = "sort_" + hashlib.sha1(field.encode()).hexdigest()[:16]
            self._conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON records(ns, entity, {expr})")
            self._indexed.add(field)
        return expr

    def list(
        self,
        ns: str,
        entity: str,
        *,
        offset: int,
        limit: int,
        sort_by: str | None = None,
        descending: bool = False,
        where: dict[str, str] | None = None,
    ) -> list[tuple[str, dict[str, Any]]]:
        """One slice of (id, data) rows, in insertion order or sorted by a field (ties by age)."""
        clause, params = self._where(ns, entity, where)
        direction = "DESC" if descending else "ASC"
        with self._lock:
            order = f"seq {direction}"
            if sort_by is not None:
                order = f"{self._ensure_index(sort_by)} {direction}, {order}"
            rows = self._conn.execute(
                f"SELECT id, data FROM records WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, max(limit, 0), max(offset, 0)],
            ).fetchall()
        return [(rid, json.loads(data)) for rid, data in rows]

    def count(self, ns: str, entity: str, where: dict[str, str] | None = None) -> int:
        """How many records the entity holds (matching `where` when given)."""
        clause, params = self._where(ns, entity, where)
        key = (ns, entity, repr(sorted((where or {}).items())))
        with self._lock:
            version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            if version != self._version:
                self._counts.clear()
                self._version = version
            if key not in self._counts:
                row = self._conn.execute(f"SELECT COUNT(*) FROM records WHERE {clause}", params)
                self._counts[key] = int(row.fetchone()[0])
            return self._counts[key]

    def clear(self, ns: str) -> None:
        """Remove every record of a namespace and forget that it was seeded."""
        with self._tx() as conn:
            conn.execute("DELETE FROM records WHERE ns = ?", (ns,))
            conn.execute("DELETE FROM seeded WHERE ns = ?", (ns,))

    def mark_seeded(self, ns: str, info: dict[str, Any]) -> None:
        """Record that a namespace holds its seed data (and how it was made)."""
        payload = json.dumps({**info, "seeded_at": time.time()})
        with self._tx() as conn:
            conn.execute("INSERT OR REPLACE INTO seeded(ns, info) VALUES (?, ?)", (ns, payload))

    def is_seeded(self, ns: str) -> bool:
        """Whether the namespace was seeded (so a reused file is not seeded twice)."""
        return self.seed_info(ns) is not None

    def seed_info(self, ns: str) -> dict[str, Any] | None:
        """What `mark_seeded` recorded for the namespace, or None."""
        with self._lock:
            row = self._conn.execute("SELECT info FROM seeded WHERE ns = ?", (ns,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()
