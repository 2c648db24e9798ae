"""Writing the mirror: records upserted, deleted and swept, and a full copy loaded in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from crmtui.model import Record
from crmtui.services.mirror_catalogue import MirrorCatalogue
from crmtui.services.mirror_sql import Layout, rows_of


class MirrorFill(MirrorCatalogue):
    """The writes of `Mirror`: what a sync and crmtui's own writes put in the file."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._indexed: dict[str, int | None] = {}
        """The entities being copied in bulk: the last key in the text index while the copy
        started empty and every write so far added rows (indexed as they come), else None
        (the index is rebuilt once at the end)."""

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
                self._index_added(layout, len(records))
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
                self._index_later(entity)

    def sweep(self, entity: str, generation: int) -> int:
        """Delete rows a full sync of `generation` did not see; returns how many."""
        layout = self.layout(entity)
        if layout is None:
            return 0
        with self.lock:
            self.revision += 1
            cursor = self.db.execute(f"DELETE FROM {layout.table} WHERE g < ?", (generation,))
            if cursor.rowcount:
                self._index_later(entity)
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

    def begin_bulk(self, entity: str) -> bool:
        """A full copy follows: the text index stops following each write (a trigger per row is
        ten times slower at the vendor's pace). A copy into an empty table indexes each batch
        of new rows as it is written, while the next pages are on their way; any other copy
        rebuilds the index once in `end_bulk`. Returns whether the table was empty."""
        layout = self._need(entity)
        with self.lock:
            # the whole copy's pages stay in memory: a commit per page writes, never re-reads
            self.db.execute("PRAGMA cache_size=-65536")
            for statement in layout.drop_triggers():
                self.db.execute(statement)
            empty = self.db.execute(f"SELECT k FROM {layout.table} LIMIT 1").fetchone() is None
            if empty and layout.fts:
                f = layout.fts_table
                self.db.execute(f"INSERT INTO {f}({f}) VALUES ('delete-all')")
            self._indexed[entity] = 0 if empty else None
        return empty

    def _index_added(self, layout: Layout, written: int) -> None:
        """During a copy into an empty table: put the rows just added in the text index, unless
        some of the `written` records replaced rows already there (then the end rebuilds it)."""
        last = self._indexed.get(layout.entity)
        if last is None:
            return
        t = layout.table
        top = int(self.db.execute(f"SELECT coalesce(max(k), 0) FROM {t}").fetchone()[0])
        if top - last != written:  # new rows take the keys after the last: some were updates
            self._indexed[layout.entity] = None
            return
        if layout.fts:
            f, cols = layout.fts_table, ", ".join(layout.column(n) for n in layout.fts)
            self.db.execute(
                f"INSERT INTO {f}(rowid, {cols}) SELECT k, {cols} FROM {t} WHERE k > ?", (last,)
            )
        self._indexed[layout.entity] = top

    def _index_later(self, entity: str) -> None:
        """A row went during a copy: the text index is rebuilt at its end."""
        if entity in self._indexed:
            self._indexed[entity] = None

    def end_bulk(self, entity: str) -> None:
        """Complete the text index (rebuilt once, unless it followed the copy) and follow each
        write again."""
        layout = self._need(entity)
        with self.lock:
            self.revision += 1
            indexed = self._indexed.pop(entity, None)
            if layout.fts:
                f = layout.fts_table
                if indexed is None:
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
