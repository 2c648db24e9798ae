"""Copy a saved view between CRMs as one batch: a plan file, an apply that refuses rows changed
since the plan, and one revert of the whole batch through the target's journal."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmtui.errors import CrmError, UsageError
from crmtui.files import write_atomic
from crmtui.model import Change, Record, jsonable
from crmtui.model.filter import parse
from crmtui.services import copy, edits
from crmtui.services.journal import Op, State
from crmtui.services.search import iter_matches
from crmtui.services.session import Session
from crmtui.services.views import Views
from crmtui.services.write_policy import WritePath


def fingerprint(record: Record) -> str:
    """A digest of the record's values: any change to the row changes it."""
    text = json.dumps({k: jsonable(v) for k, v in record.values.items()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class RowResult:
    """What happened to one planned row."""

    source_id: str
    outcome: str  # created, updated, unchanged, refused, failed
    target_id: str = ""
    why: str = ""


@dataclass
class BatchResult:
    """The rows of an apply, under its batch id."""

    batch: str
    rows: list[RowResult] = field(default_factory=list)


async def plan(
    src: Session, dst: Session, view_name: str, *, mapping: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The plan of copying every row of a saved view: what would be created and updated."""
    view = Views().get(src.profile.name, view_name)
    spec = await src.backend.entity(view.entity)
    expr = parse(view.filter, await src.backend.fields(view.entity), spec)
    rows: list[dict[str, Any]] = []
    async for page in iter_matches(src.backend, view.entity, expr):
        for record in page:
            p = await copy.preview(src, dst, view.entity, record.id, record=record, mapping=mapping)
            rows.append(
                {
                    "source_id": record.id,
                    "fingerprint": fingerprint(record),
                    "action": p.action,
                    "target_id": p.existing.id if p.existing else None,
                    "values": {m.target: m.value for m in p.mapped},
                    "changes": [c.field for c in p.changes],
                    "unmapped": [name for name, _ in p.unmapped],
                }
            )
    return {
        "batch": uuid.uuid4().hex[:8],
        "from": src.profile.name,
        "to": dst.profile.name,
        "entity": view.entity,
        "view": view.name,
        "mapping": dict(mapping or {}),
        "rows": rows,
    }


def save_plan(path: Path, data: Mapping[str, Any]) -> None:
    """Write a plan as JSON (0600)."""
    write_atomic(path, json.dumps(jsonable(dict(data)), indent=2) + "\n")


def load_plan(path: Path) -> dict[str, Any]:
    """Read a plan file; UsageError when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read plan {path}: {exc}") from None
    if not isinstance(data, dict) or not {"batch", "from", "to", "entity", "rows"} <= set(data):
        raise UsageError(f"{path} is not a copy plan")
    return data


async def apply_plan(src: Session, dst: Session, data: Mapping[str, Any]) -> BatchResult:
    """Apply a plan; a row whose source changed since the plan is refused, the others go."""
    if (data["from"], data["to"]) != (src.profile.name, dst.profile.name):
        raise UsageError(f"the plan copies {data['from']} -> {data['to']}")
    entity, batch = str(data["entity"]), str(data["batch"])
    result = BatchResult(batch)
    for row in data["rows"]:
        sid = str(row["source_id"])
        try:
            record = await src.backend.get(entity, sid)
            if fingerprint(record) != row["fingerprint"]:
                result.rows.append(RowResult(sid, "refused", why="changed since the plan"))
                continue
            p = await copy.preview(
                src, dst, entity, sid, record=record, mapping=data.get("mapping") or None
            )
            done = await copy.apply(dst, p, batch=batch)
            outcome = {"create": "created", "update": "updated"}.get(p.action, "unchanged")
            target = done.id if done is not None else (p.existing.id if p.existing else "")
            result.rows.append(RowResult(sid, outcome, target))
        except CrmError as exc:
            result.rows.append(RowResult(sid, "failed", why=str(exc)))
    return result


async def revert(dst: Session, batch: str) -> list[str]:
    """Undo every applied write of `batch` on the target, newest first; returns what was done."""
    journal = edits.journal_for(dst)
    entries = [e for e in journal.entries() if e.batch == batch and e.state is State.APPLIED]
    if not entries:
        raise UsageError(f"{dst.profile.name} has no applied writes in batch {batch!r}")
    done: list[str] = []
    for entry in sorted(entries, key=lambda e: e.created, reverse=True):
        if entry.record_id is None:
            continue
        if entry.op is Op.CREATE:
            await edits.delete_record(
                dst, entry.entity, entry.record_id, reverts=entry.id, path=WritePath.REVERT
            )
            done.append(f"deleted {entry.entity} {entry.record_id}")
        elif entry.op is Op.UPDATE:
            back = [Change(c.field, c.new, c.old) for c in entry.as_changes()]
            await edits.save_changes(
                dst, entry.entity, entry.record_id, back, path=WritePath.REVERT
            )
            done.append(f"restored {entry.entity} {entry.record_id}")
    return done
