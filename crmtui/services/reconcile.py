"""Reading before resending: value comparison by field type, and finding a create that landed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from crmtui.backends.base import Backend
from crmtui.errors import UsageError
from crmtui.model import Capability, FieldSpec, FieldType, Filter, Query, Record, Sort
from crmtui.services.paging import iter_records

RECENT_SCAN = 2000  # records read, newest first, when looking for a create that may have landed
CLOCK_SLACK = 3600.0  # seconds of clock difference tolerated between us and the vendor


def canonical(value: Any, spec: FieldSpec | None = None) -> Any:
    """A value in a form where equal values compare equal, whatever shape (typed or JSON) it has."""
    if value is None or value == "":
        return None
    kind = spec.type if spec is not None else None
    text = str(value).strip()
    try:
        if kind in (FieldType.INTEGER, FieldType.DECIMAL) and not isinstance(value, bool):
            return Decimal(text).normalize()
        if kind is FieldType.BOOLEAN:
            return value if isinstance(value, bool) else text.lower() in {"true", "yes", "1", "y"}
        if kind is FieldType.DATE:
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            return dt.date.fromisoformat(text[:10])
        if kind is FieldType.DATETIME:
            return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(text)
    except (ValueError, InvalidOperation):
        pass
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return value.normalize()
    return value if isinstance(value, bool | int | float) else str(value)


def same(a: Any, b: Any, spec: FieldSpec | None = None) -> bool:
    """Whether two values of one field are the same (empty text and None are)."""
    return bool(canonical(a, spec) == canonical(b, spec))


def natural_key(fields: Sequence[FieldSpec], values: Mapping[str, Any]) -> list[str]:
    """The fields that identify a new record for reconciling: its email fields that have values."""
    return [f.name for f in fields if f.type is FieldType.EMAIL and values.get(f.name)]


def _matches(
    record: Record, wanted: Mapping[str, Any], names: Sequence[str], specs: dict[str, FieldSpec]
) -> bool:
    for name in names:
        spec = specs.get(name)
        theirs, mine = record.values.get(name), wanted.get(name)
        if spec is not None and spec.type is FieldType.EMAIL:
            if str(theirs or "").strip().casefold() != str(mine or "").strip().casefold():
                return False
        elif not same(theirs, mine, spec):
            return False
    return True


async def find_created(
    backend: Backend,
    entity: str,
    values: Mapping[str, Any],
    key: Sequence[str],
    since: float,
) -> Record | None:
    """The record a create with `values` made, if it reached the vendor; None if it did not.

    Matches on the natural key (email) where there is one, else on every value sent. Searches
    on the server when it can, else reads the newest records first, else reads everything.
    Read errors propagate: an outcome that cannot be read stays unknown.
    """
    fields = await backend.fields(entity)
    specs = {f.name: f for f in fields}
    names = [n for n in key if values.get(n)] or [
        n for n, v in values.items() if v not in (None, "") and n in specs
    ]
    if not names:
        return None
    spec = await backend.entity(entity)
    queries: list[tuple[Query, int | None]] = []
    first = names[0]
    if spec.can(Capability.SEARCH) and first in spec.search_fields:
        queries.append((Query(filters=(Filter(first, str(values[first])),)), 200))
    created = _created_field(fields)
    if spec.can(Capability.SORT) and created is not None:
        queries.append((Query(sort=Sort(created, descending=True)), RECENT_SCAN))
    queries.append((Query(), None))
    for query, limit in queries:
        try:
            async for record in iter_records(backend, entity, query, limit=limit):
                if _matches(record, values, names, specs):
                    return record
                if created is not None and query.sort is not None:
                    stamp = record.values.get(created)
                    if isinstance(stamp, dt.datetime) and _older(stamp, since - CLOCK_SLACK):
                        break
        except UsageError:
            continue  # this vendor cannot run that query; try the next way
        return None
    return None


def _created_field(fields: Sequence[FieldSpec]) -> str | None:
    for spec in fields:
        if spec.type is FieldType.DATETIME and "creat" in spec.name.lower():
            return spec.name
    return None


def _older(stamp: dt.datetime, cutoff: float) -> bool:
    if stamp.tzinfo is None:
        return False  # a local time of unknown zone: keep reading up to RECENT_SCAN
    return stamp.timestamp() < cutoff
