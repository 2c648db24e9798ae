"""Back and forward through the records a session visited, as in a browser.

A `Place` is a record (entity and id) and where the list cursor stood; following a reference
pushes the current place, `back` and `forward` step through them. Each session keeps its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crmtui.model import EntitySpec, FieldSpec, Record


@dataclass(frozen=True)
class Place:
    """A record that was shown, and the list cursor's row then."""

    entity: str
    record_id: str
    row: int | None = None


@dataclass
class History:
    """The places behind and ahead of the current one."""

    behind: list[Place] = field(default_factory=list)
    ahead: list[Place] = field(default_factory=list)
    limit: int = 200

    def visit(self, current: Place) -> None:
        """Leave `current` for a new place: it goes behind, and what was ahead is dropped."""
        self.behind.append(current)
        del self.behind[: -self.limit]
        self.ahead.clear()

    def back(self, current: Place) -> Place | None:
        """The place behind (`current` goes ahead), or None at the start."""
        if not self.behind:
            return None
        self.ahead.append(current)
        return self.behind.pop()

    def forward(self, current: Place) -> Place | None:
        """The place ahead (`current` goes behind), or None at the end."""
        if not self.ahead:
            return None
        self.behind.append(current)
        return self.ahead.pop()


@dataclass(frozen=True)
class Link:
    """A reference the record holds: the field, and the record it points at."""

    spec: FieldSpec
    entity: str
    record_id: str


def links(record: Record, fields: list[FieldSpec]) -> list[Link]:
    """The references `record` holds, in field order: lookups, and references to any entity
    (whose entity another field of the record names)."""
    out: list[Link] = []
    for spec in fields:
        value = record.values.get(spec.name)
        if value in (None, ""):
            continue
        entity = spec.reference
        if entity is None and spec.reference_entity_field:
            entity = str(record.values.get(spec.reference_entity_field) or "").strip() or None
        if entity:
            out.append(Link(spec, entity, str(value)))
    return out


def unique_links(record: Record, fields: list[FieldSpec]) -> list[Link]:
    """`links`, each record once (a lookup and a parent link to the same account are one)."""
    seen: set[tuple[str, str]] = set()
    out: list[Link] = []
    for link in links(record, fields):
        if (link.entity, link.record_id) not in seen:
            seen.add((link.entity, link.record_id))
            out.append(link)
    return out


def target_label(spec: FieldSpec, entities: list[EntitySpec], entity: str | None = None) -> str:
    """What following `spec` opens, in words (`entity`: where it points, if not declared)."""
    wanted = entity or spec.reference or ""
    label = next((e.label for e in entities if e.name == wanted), wanted)
    return f"{spec.label} ({label})"
