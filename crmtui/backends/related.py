"""Records tied to one record (`Related`), and finding those whose reference field points at it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmtui.model import Capability, EntitySpec, FieldSpec, Filter, Query, Record

if TYPE_CHECKING:
    from crmtui.backends.base import Backend


@dataclass(frozen=True)
class Related:
    """Records tied to one record, under a label: a lead's recent activity, the lists it is on."""

    label: str
    entity: str
    records: tuple[Record, ...]
    timed: bool = False  # a history, newest first: show each record's time


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def points_at(field: FieldSpec, entity: EntitySpec) -> bool:
    """Whether `field` holds the id of an `entity` record (declared, or its label says so)."""
    if field.reference is not None:
        return field.reference == entity.name
    label = _key(field.label)
    names = {_key(entity.name), _key(entity.label), _key(entity.label).removesuffix("s")}
    return any(label == f"{n}id" for n in names)


async def by_reference(
    backend: Backend, entity: str, record_id: str, *, shown: int, scan: int
) -> list[Related]:
    """Records whose reference field points at `entity` `record_id`, one group per field.

    The body of `Backend.related_by_reference` (documented there).
    """
    own = await backend.entity(entity)
    groups: list[Related] = []
    for spec in await backend.entities():
        for field in await backend.fields(spec.name):
            if not points_at(field, own):
                continue
            found = await _referring(backend, spec, field.name, record_id, shown, scan)
            if found is not None:
                label = f"{spec.label} ({field.label})"
                groups.append(Related(label, spec.name, tuple(found[:shown])))
    return groups


async def _referring(
    backend: Backend, spec: EntitySpec, name: str, record_id: str, shown: int, scan: int
) -> list[Record] | None:
    condition = Filter(name, record_id, "eq")

    def hit(record: Record) -> bool:
        return str(record.values.get(name) or "") == record_id

    searchable = spec.can(Capability.SEARCH) and name in spec.search_fields
    if searchable or backend.filter_support(spec.name).allows(condition):
        page = await backend.list_page(spec.name, Query((condition,)), 0, shown)
        return [r for r in page.records if hit(r)]
    if not spec.can(Capability.LIST):
        return None
    found: list[Record] = []
    offset: int | None = 0
    while offset is not None and offset < scan and len(found) < shown:
        page = await backend.list_page(spec.name, Query(), offset, backend.max_page_size)
        found += [r for r in page.records if hit(r)]
        offset = page.next_offset
    return found
