"""CMDataManager's related lists and links: lookups, and records created under another one.

A task or opportunity created with `POST /{entity}/{id}/task|opportunity` names its parent in two
read-only fields, RelatedEntity and RelatedExternalID (docs/vendors/cmdatamanager.md; the seed
offers no filter, so the children are found by reading their list). An account's related lists
are then its contacts and opportunities (Account lookups) and the tasks linked to it; a task's
parent can be followed like a lookup (`FieldSpec.reference_entity_field`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from crmtui.backends.base import Related
from crmtui.errors import NotFound
from crmtui.model import FieldSpec, Query, Record

if TYPE_CHECKING:
    from crmtui.backends.base import Backend

LINK_ENTITY, LINK_ID = "RelatedEntity", "RelatedExternalID"
CHILDREN = ("task", "opportunity")  # what POST /{entity}/{id}/... creates


def mark_links(specs: Sequence[FieldSpec]) -> list[FieldSpec]:
    """`specs` with RelatedExternalID marked as a reference to the entity RelatedEntity names."""
    names = {s.name for s in specs}
    if not {LINK_ENTITY, LINK_ID} <= names:
        return list(specs)
    return [
        replace(s, reference_entity_field=LINK_ENTITY) if s.name == LINK_ID else s for s in specs
    ]


def _linked_to(record: Record, entity: str, record_id: str) -> bool:
    parent = str(record.values.get(LINK_ENTITY) or "").strip().lower()
    return parent == entity.lower() and str(record.values.get(LINK_ID) or "") == record_id


async def linked(
    backend: Backend, child: str, entity: str, record_id: str, *, shown: int, scan: int
) -> list[Record]:
    """The `child` records created under `entity` `record_id` (at most `scan` read)."""
    found: list[Record] = []
    offset: int | None = 0
    while offset is not None and offset < scan and len(found) < shown:
        page = await backend.list_page(child, Query(), offset, backend.max_page_size)
        found += [r for r in page.records if _linked_to(r, entity, record_id)]
        offset = page.next_offset
    return found[:shown]


async def related(
    backend: Backend, entity: str, record_id: str, *, shown: int = 20, scan: int = 2000
) -> list[Related]:
    """Lookups pointing here, the tasks and opportunities linked here, and a child's parent."""
    groups = await backend.related_by_reference(entity, record_id, shown=shown, scan=scan)
    seen = {(g.entity, r.id) for g in groups for r in g.records}
    for child in CHILDREN:
        found = await linked(backend, child, entity, record_id, shown=shown, scan=scan)
        fresh = tuple(r for r in found if (child, r.id) not in seen)
        if fresh:
            label = (await backend.entity(child)).label
            groups.append(Related(f"{label} (linked)", child, fresh))
    if entity in CHILDREN:
        parent = await _parent(backend, await backend.get(entity, record_id))
        if parent is not None:
            label = (await backend.entity(parent.entity)).label
            groups.insert(0, Related(f"Related to ({label})", parent.entity, (parent,)))
    return groups


async def _parent(backend: Backend, record: Record) -> Record | None:
    kind = str(record.values.get(LINK_ENTITY) or "").strip().lower()
    parent_id = str(record.values.get(LINK_ID) or "").strip()
    known = {e.name for e in await backend.entities()}
    if not kind or not parent_id or kind not in known:
        return None
    try:
        return await backend.get(kind, parent_id)
    except NotFound:  # deleting a record leaves what refers to it unchanged
        return None
