"""The mirror as a list source: pages, sorts and counts from the local copy, records live.

It stands in for the backend in the record list: `list_page` reads the copy (any field sorts),
while `get`, the fields and the writes still go to the vendor, so a record opened for an edit
is the vendor's current one and the stale-write check compares with it.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from crmtui.backends.base import Backend
from crmtui.model import Capability, Change, EntitySpec, FieldSpec, Page, Query, Record
from crmtui.model.filter import FilterSupport
from crmtui.services.mirror import Mirror


class MirrorSource(Backend):
    """`backend`'s entities, listed from `mirror`."""

    max_page_size = 500

    def __init__(self, backend: Backend, mirror: Mirror) -> None:
        super().__init__(backend.settings, {}, backend.http)
        self.inner = backend
        self.mirror = mirror
        self.vendor = backend.vendor  # type: ignore[misc]
        self.label = backend.label  # type: ignore[misc]
        self.capabilities = backend.capabilities | {Capability.SORT, Capability.TOTAL}  # type: ignore[misc]

    async def entities(self) -> list[EntitySpec]:
        """The vendor's entities; a mirrored one sorts and counts locally."""
        return [self.served(e) for e in await self.inner.entities()]

    def served(self, entity: EntitySpec) -> EntitySpec:
        """`entity` as the mirror serves it (sortable, with a total) when it is mirrored."""
        if not self.mirror.ready(entity.name):
            return entity
        caps = entity.capabilities | {Capability.SORT, Capability.TOTAL}
        return dataclasses.replace(entity, capabilities=frozenset(caps))

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        """The vendor's fields."""
        return await self.inner.fields(entity)

    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        """A page of the local copy in the query's order (its filters are the finder's)."""
        return await asyncio.to_thread(self.page_now, entity, query, offset, limit)

    def page_now(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        """`list_page`, read in the caller's thread (a few milliseconds: see Mirror.within)."""
        limit = max(1, min(limit, self.max_page_size))
        records = self.mirror.page(entity, offset, limit, sort=query.sort)
        total = self.mirror.count(entity)
        end = offset + len(records)
        return Page(records, offset, end if end < total else None, total)

    async def get(self, entity: str, record_id: str) -> Record:
        """The vendor's current record."""
        return await self.inner.get(entity, record_id)

    def filter_support(self, entity: str) -> FilterSupport:
        """Everything is matched locally."""
        return FilterSupport()

    async def create(self, entity: str, values: Mapping[str, Any]) -> Record:
        """Through the vendor."""
        return await self.inner.create(entity, values)

    async def update(self, entity: str, record_id: str, changes: Sequence[Change]) -> Record:
        """Through the vendor."""
        return await self.inner.update(entity, record_id, changes)

    async def delete(self, entity: str, record_id: str) -> None:
        """Through the vendor."""
        await self.inner.delete(entity, record_id)

    async def aclose(self) -> None:
        """The vendor's client belongs to the session, not to this view."""
