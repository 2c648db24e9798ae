"""Loaded rows kept compact: pages as compressed pickles, a few decoded ones near the cursor."""

from __future__ import annotations

import pickle
import zlib
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence

from crmtui.model import Record

HOT_PAGES = 8
"""Decoded pages kept (the cursor's, the screen's and their neighbours)."""


class _Chunk:
    """A run of consecutive rows from `start`, stored as one compressed pickle."""

    __slots__ = ("blob", "size", "start")

    def __init__(self, start: int, records: Sequence[Record]) -> None:
        self.start = start
        self.size = len(records)
        self.blob = encode(records)

    @property
    def stop(self) -> int:
        return self.start + self.size


def encode(records: Sequence[Record]) -> bytes:
    """Records as a compressed pickle (only this process reads it back: never vendor input)."""
    return zlib.compress(pickle.dumps(list(records), protocol=pickle.HIGHEST_PROTOCOL), 1)


def decode(blob: bytes) -> list[Record]:
    """The records `encode` made."""
    records: list[Record] = pickle.loads(zlib.decompress(blob))  # our own bytes, never input
    return records


class PageStore(Mapping[int, Record]):
    """Rows by index, compact: every page compressed, only the `hot` latest-used pages decoded.

    A page of 100 leads costs about a tenth of its decoded size; reading a row of a hot page is a
    bisect and a list index, the same at row 90,000 as at row 10. Indexes are the list's own:
    `remove` moves the rows after it up by one, as the server does after a delete.
    """

    def __init__(self, hot: int = HOT_PAGES) -> None:
        self.hot_limit = max(1, hot)
        self._chunks: list[_Chunk] = []  # sorted by start, never overlapping
        self._starts: list[int] = []
        self._hot: OrderedDict[_Chunk, list[Record]] = OrderedDict()
        self._count = 0
        self.revision = 0
        """Bumped whenever a row already shown changes (replaced, removed, overwritten)."""

    # -- Mapping ---------------------------------------------------------------------------------
    def __getitem__(self, index: int) -> Record:
        record = self.get(index)
        if record is None:
            raise KeyError(index)
        return record

    def get(self, index: int, default: Record | None = None) -> Record | None:  # type: ignore[override]
        """The record at `index`, or `default` when it is not loaded."""
        chunk = self._chunk_at(index)
        if chunk is None:
            return default
        return self._decoded(chunk)[index - chunk.start]

    def __contains__(self, index: object) -> bool:
        return isinstance(index, int) and self._chunk_at(index) is not None

    def __iter__(self) -> Iterator[int]:
        for chunk in list(self._chunks):
            yield from range(chunk.start, chunk.stop)

    def __len__(self) -> int:
        return self._count

    @property
    def extent(self) -> int:
        """One past the highest loaded index (0 when empty)."""
        return self._chunks[-1].stop if self._chunks else 0

    @property
    def compact_bytes(self) -> int:
        """The size of the compressed pages (for tests and the curious)."""
        return sum(len(c.blob) for c in self._chunks)

    # -- changes ---------------------------------------------------------------------------------
    def put(self, offset: int, records: Sequence[Record]) -> None:
        """Place a page of `records` from index `offset` (rows already there are replaced)."""
        if not records:
            return
        stop = offset + len(records)
        if self._cut(offset, stop):
            self.revision += 1
        chunk = _Chunk(offset, records)
        at = bisect_right(self._starts, offset)
        self._chunks.insert(at, chunk)
        self._starts.insert(at, offset)
        self._count += chunk.size
        self._remember(chunk, list(records))

    def replace(self, index: int, record: Record) -> None:
        """Put `record` at the loaded `index` (KeyError when it is not loaded)."""
        chunk = self._chunk_at(index)
        if chunk is None:
            raise KeyError(index)
        rows = list(self._decoded(chunk))
        rows[index - chunk.start] = record
        chunk.blob = encode(rows)
        self._remember(chunk, rows)
        self.revision += 1

    def remove(self, index: int) -> None:
        """Drop the row at `index`; every later row moves up by one."""
        at = self._position(index)
        if at is None:
            raise KeyError(index)
        chunk = self._chunks[at]
        rows = list(self._decoded(chunk))
        del rows[index - chunk.start]
        self._hot.pop(chunk, None)
        if rows:
            chunk.blob, chunk.size = encode(rows), len(rows)
            self._remember(chunk, rows)
            at += 1
        else:
            del self._chunks[at]
            del self._starts[at]
        for later in self._chunks[at:]:
            later.start -= 1
        self._starts = [c.start for c in self._chunks]
        self._count -= 1
        self.revision += 1

    def clear(self) -> None:
        """Forget every row."""
        self._chunks, self._starts, self._count = [], [], 0
        self._hot.clear()
        self.revision += 1

    # -- lookups ---------------------------------------------------------------------------------
    def find(self, record_id: str) -> int | None:
        """The index of the loaded record `record_id` (decoded pages first), else None."""
        for chunk, rows in reversed(self._hot.items()):
            for i, record in enumerate(rows):
                if record.id == record_id:
                    return chunk.start + i
        needle = record_id.encode()
        for chunk in list(self._chunks):
            if chunk in self._hot or needle not in zlib.decompress(chunk.blob):
                continue  # the id's text is not even in the page: no need to unpickle it
            for i, record in enumerate(decode(chunk.blob)):
                if record.id == record_id:
                    return chunk.start + i
        return None

    def pages(self) -> Iterator[tuple[int, list[Record]]]:
        """(start, records) of every loaded run, decoded one at a time (the hot set untouched)."""
        for chunk in list(self._chunks):
            rows = self._hot.get(chunk)
            yield chunk.start, rows if rows is not None else decode(chunk.blob)

    # -- internals -------------------------------------------------------------------------------
    def _position(self, index: int) -> int | None:
        at = bisect_right(self._starts, index) - 1
        if at < 0 or index >= self._chunks[at].stop:
            return None
        return at

    def _chunk_at(self, index: int) -> _Chunk | None:
        at = self._position(index)
        return None if at is None else self._chunks[at]

    def _decoded(self, chunk: _Chunk) -> list[Record]:
        rows = self._hot.get(chunk)
        if rows is None:
            rows = decode(chunk.blob)
            self._remember(chunk, rows)
        else:
            self._hot.move_to_end(chunk)
        return rows

    def _remember(self, chunk: _Chunk, rows: list[Record]) -> None:
        self._hot[chunk] = rows
        self._hot.move_to_end(chunk)
        while len(self._hot) > self.hot_limit:
            self._hot.popitem(last=False)

    def _cut(self, start: int, stop: int) -> bool:
        """Remove rows in [start, stop), keeping the rest of any run they share; True if any."""
        first = max(bisect_right(self._starts, start) - 1, 0)
        hit = [c for c in self._chunks[first:] if c.start < stop and c.stop > start]
        if not hit:
            return False
        keep: list[tuple[int, list[Record]]] = []
        for chunk in hit:
            rows = self._decoded(chunk)
            if chunk.start < start:
                keep.append((chunk.start, rows[: start - chunk.start]))
            if chunk.stop > stop:
                keep.append((stop, rows[stop - chunk.start :]))
            self._hot.pop(chunk, None)
            self._chunks.remove(chunk)
            self._count -= chunk.size
        self._starts = [c.start for c in self._chunks]
        for offset, rows in keep:
            self.put(offset, rows)
        return True
