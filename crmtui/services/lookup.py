"""Look records up by name for a reference field (type-ahead), through the backend's list calls.

The first pages of the target entity are read once per session and entity (a few hundred
records at most), then matched locally by name or id as the user types: one request per page,
not one per key.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from crmtui.model import Query, Record
from crmtui.model.sanitize import inert
from crmtui.services.session import Session

SCAN_LIMIT = 500  # records read at most per entity
FRESH = 120.0  # seconds a scan is reused


@dataclass(frozen=True)
class Candidate:
    """A record a reference may point to: its id and its name (inert text)."""

    id: str
    title: str


_scans: dict[tuple[int, str], tuple[float, list[Candidate]]] = {}
_locks: dict[tuple[int, str], asyncio.Lock] = {}


async def _scan(session: Session, entity: str) -> list[Candidate]:
    key = (id(session), entity)
    lock = _locks.setdefault(key, asyncio.Lock())
    async with lock:
        found = _scans.get(key)
        if found is not None and time.monotonic() - found[0] < FRESH:
            return found[1]
        backend = session.backend
        spec = await backend.entity(entity)
        records: list[Record] = []
        offset: int | None = 0
        while offset is not None and len(records) < SCAN_LIMIT:
            size = min(backend.max_page_size, SCAN_LIMIT - len(records))
            page = await backend.list_page(entity, Query(), offset, size)
            records.extend(page.records)
            offset = page.next_offset if page.records else None
        candidates = [Candidate(r.id, inert(r.title(spec))) for r in records]
        _scans[key] = (time.monotonic(), candidates)
        return candidates


async def find(session: Session, entity: str, text: str, limit: int = 8) -> list[Candidate]:
    """Records of `entity` whose name (or id) contains `text`, names starting with it first."""
    needle = text.strip().casefold()
    if not needle:
        return []
    candidates = await _scan(session, entity)
    hits = [c for c in candidates if needle in c.title.casefold() or needle == c.id.casefold()]
    hits.sort(key=lambda c: (not c.title.casefold().startswith(needle), c.title.casefold()))
    return hits[:limit]
