"""The mirror file's catalogue: per entity its layout, last sync, completeness and generation."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from crmtui.model.filter import Expr
from crmtui.profiles import locations
from crmtui.services.mirror_query import fts_match, where_sql
from crmtui.services.mirror_sql import Layout

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


class MirrorCatalogue:
    """The mirror file of one profile: its connection and catalogue (see `Mirror`)."""

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

    def _need(self, entity: str) -> Layout:
        layout = self.layout(entity)
        if layout is None:
            raise LookupError(f"{entity} is not mirrored")
        return layout
