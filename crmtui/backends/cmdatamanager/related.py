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

from crmtui.backends.base import Related, points_at
from crmtui.errors import NotFound
from crmtui.model import Capability, FieldSpec, Query, Record

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


async def related(
    backend: Backend, entity: str, record_id: str, *, shown: int = 20, scan: int = 2000
) -> list[Related]:
    """Lookups pointing here and the tasks and opportunities linked here, each entity's list
    read once (at most `scan` records: the seed offers no filter); a child's parent first."""
    own = await backend.entity(entity)
    groups: list[Related] = []
    for spec in await backend.entities():
        if not spec.can(Capability.LIST):
            continue
        fields = await backend.fields(spec.name)
        lookups = [f for f in fields if points_at(f, own)]
        linkable = spec.name in CHILDREN and any(f.name == LINK_ID for f in fields)
        if not lookups and not linkable:
            continue
        by_lookup, linked = await _read(backend, spec.name, lookups, linkable, entity, record_id,
                                        shown=shown, scan=scan)  # fmt: skip
        for f in lookups:
            label = f"{spec.label} ({f.label})"
            groups.append(Related(label, spec.name, tuple(by_lookup[f.name][:shown])))
        seen = {r.id for found in by_lookup.values() for r in found}
        fresh = tuple(r for r in linked if r.id not in seen)[:shown]
        if fresh:
            groups.append(Related(f"{spec.label} (linked)", spec.name, fresh))
    if entity in CHILDREN:
        parent = await _parent(backend, await backend.get(entity, record_id))
        if parent is not None:
            label = (await backend.entity(parent.entity)).label
            groups.insert(0, Related(f"Related to ({label})", parent.entity, (parent,)))
    return groups


async def _read(
    backend: Backend,
    child: str,
    lookups: list[FieldSpec],
    linkable: bool,
    entity: str,
    record_id: str,
    *,
    shown: int,
    scan: int,
) -> tuple[dict[str, list[Record]], list[Record]]:
    """One pass over `child`'s list: records whose lookups hold `record_id`, and linked ones."""
    by_lookup: dict[str, list[Record]] = {f.name: [] for f in lookups}
    linked: list[Record] = []

    def wanting() -> bool:
        short = any(len(found) < shown for found in by_lookup.values())
        return short or (linkable and len(linked) < shown)

    offset: int | None = 0
    while offset is not None and offset < scan and wanting():
        page = await backend.list_page(child, Query(), offset, backend.max_page_size)
        for record in page.records:
            for f in lookups:
                if str(record.values.get(f.name) or "") == record_id:
                    by_lookup[f.name].append(record)
            if linkable and _linked_to(record, entity, record_id):
                linked.append(record)
        offset = page.next_offset
    return by_lookup, linked


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
