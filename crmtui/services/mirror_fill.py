"""Writing the mirror: records upserted, deleted and swept, and a full copy loaded in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from crmtui.model import Record
from crmtui.services.mirror_catalogue import MirrorCatalogue
from crmtui.services.mirror_sql import Layout, rows_of


class MirrorFill(MirrorCatalogue):
    """The writes of `Mirror`: what a sync and crmtui's own writes put in the file."""

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
