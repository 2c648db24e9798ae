"""Copy a record to another CRM: fields mapped by meaning, previewed, written through the journal.

`preview` reads the source record, maps each field by what it means (`services.meanings`, or a
mapping saved for the profile pair) onto the target entity's writable fields, converts a status
to one of the target's choices, and looks the person up on the target by email: an existing
person is updated with only the fields that differ, never created twice. `apply` writes through
`services.edits` (journal, write policy). Batches (a saved view) live in `services.copy_batch`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crmtui.errors import UsageError
from crmtui.model import Change, FieldSpec, Filter, Record, format_value
from crmtui.model.filter import email_field
from crmtui.model.sanitize import inert
from crmtui.services import edits
from crmtui.services.meanings import by_meaning, meaning, status_value
from crmtui.services.reconcile import same
from crmtui.services.session import Session
from crmtui.services.write_policy import WritePath

SKIP_MEANINGS = frozenset({"changed"})  # the target stamps its own times


@dataclass(frozen=True)
class Mapped:
    """One source field sent to one target field."""

    source: str
    target: str
    target_label: str
    value: Any  # as it will be sent
    shown: str  # the source value as text


@dataclass
class Preview:
    """What a copy would send, before anything is sent."""

    source: Record
    source_profile: str
    target_profile: str
    entity: str
    mapped: list[Mapped] = field(default_factory=list)
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (field, value as text)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)  # (field, value, why)
    existing: Record | None = None
    changes: list[Change] = field(default_factory=list)

    @property
    def action(self) -> str:
        """create, update or unchanged."""
        if self.existing is None:
            return "create"
        return "update" if self.changes else "unchanged"

    def values(self) -> dict[str, Any]:
        """The target values, by target field."""
        return {m.target: m.value for m in self.mapped}

    def lines(self) -> list[str]:
        """The preview as plain lines (remote text made inert)."""
        head = f"{self.source_profile} {self.entity} {self.source.id} -> {self.target_profile}: "
        if self.existing is None:
            head += "create (no record there has this email)"
        else:
            head += f"{self.action} {self.existing.id} (same email)"
        out = [inert(head)]
        changed = {c.field for c in self.changes}
        for m in self.mapped:
            mark = "" if self.existing is None else ("  *" if m.target in changed else "  =")
            said = "" if str(m.value) == m.shown else f" as {m.value!r}"
            out.append(
                inert(f"  {m.source}: {m.shown!r} -> {m.target} ({m.target_label}){said}{mark}")
            )
        for name, value, why in self.dropped:
            out.append(inert(f"  {name}: {value!r} not sent: {why}"))
        if self.unmapped:
            out.append(f"  unmapped source fields ({len(self.unmapped)}):")
            out += [inert(f"    {name}: {value!r}") for name, value in self.unmapped]
        return out


def _writable(fields: list[FieldSpec]) -> list[FieldSpec]:
    return [f for f in fields if not f.read_only]


async def find_by_email(session: Session, entity: str, email: str) -> Record | None:
    """The target's record of `entity` with this email (server search, local copy or a scan)."""
    from crmtui.model.filter import Expr
    from crmtui.services.mirror_sync import mirror_for
    from crmtui.services.search import iter_matches

    spec = email_field(await session.backend.fields(entity))
    if spec is None:
        return None
    expr = Expr(conditions=(Filter(spec.name, email.strip(), "eq"),))
    found: list[Record] = []
    async for page in iter_matches(
        session.backend, entity, expr, limit=2, mirror=mirror_for(session)
    ):
        found += page
    if len(found) > 1:
        ids = ", ".join(r.id for r in found)
        raise UsageError(f"{session.profile.name} holds several {entity} with {email!r}: {ids}")
    return found[0] if found else None


async def preview(
    src: Session,
    dst: Session,
    entity: str,
    record_id: str,
    *,
    target_entity: str | None = None,
    mapping: Mapping[str, str] | None = None,
    record: Record | None = None,
) -> Preview:
    """What copying one record would do; nothing is sent."""
    target = target_entity or entity
    source = record or await src.backend.get(entity, record_id)
    src_fields = await src.backend.fields(entity)
    dst_fields = await dst.backend.fields(target)
    dst_by_name = {f.name: f for f in dst_fields}
    targets = by_meaning(_writable(dst_fields))
    out = Preview(source, src.profile.name, dst.profile.name, entity)
    used: set[str] = set()
    for spec in src_fields:
        value = source.values.get(spec.name)
        shown = format_value(value, spec)
        if value is None or shown == "":
            continue
        chosen: FieldSpec | None = None
        if mapping and spec.name in mapping:
            chosen = dst_by_name.get(mapping[spec.name])
        elif (said := meaning(spec)) is not None and said not in SKIP_MEANINGS:
            chosen = targets.get(said)
        if chosen is None or chosen.name in used or chosen.read_only:
            out.unmapped.append((spec.name, shown))
            continue
        sent: Any = shown
        if chosen.choices:
            converted = status_value(shown, chosen)
            if converted is None:
                allowed = ", ".join(c.value for c in chosen.choices)
                out.dropped.append(
                    (spec.name, shown, f"no {chosen.name} value like it ({allowed})")
                )
                continue
            sent = converted
        used.add(chosen.name)
        out.mapped.append(Mapped(spec.name, chosen.name, chosen.label, sent, shown))
    email = next(
        (m.value for m in out.mapped if dst_by_name[m.target].name in _emails(dst_fields)), None
    )
    if email:
        out.existing = await find_by_email(dst, target, str(email))
    if out.existing is not None:
        for m in out.mapped:
            old = out.existing.values.get(m.target)
            if not same(old, m.value, dst_by_name[m.target]) and format_value(old) != m.value:
                out.changes.append(Change(m.target, old, m.value))
    out.entity = target if target == entity else f"{entity}->{target}"
    return out


def _emails(fields: list[FieldSpec]) -> set[str]:
    spec = email_field(fields)
    return {spec.name} if spec else set()


async def apply(dst: Session, plan: Preview, *, batch: str | None = None) -> Record | None:
    """Write a previewed copy on the target through the journal; None when nothing changed."""
    target = plan.entity.split("->")[-1]
    if plan.existing is None:
        if not plan.mapped:
            raise UsageError("nothing maps onto the target: nothing to create")
        return await edits.create_record(
            dst, target, plan.values(), batch=batch, path=WritePath.CREATE
        )
    if not plan.changes:
        return None
    return await edits.save_changes(
        dst, target, plan.existing.id, plan.changes, current=plan.existing, batch=batch
    )
