"""Records: an id plus typed values, keeping the vendor's raw values beside them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crmtui.model.fields import EntitySpec, FieldSpec, FieldType


@dataclass
class Record:
    """One CRM record. `values` are typed Python values; `raw` is what the vendor sent."""

    entity: str
    id: str
    values: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    def title(self, spec: EntitySpec | None = None) -> str:
        """A short human name for the record (from the entity's title fields), else its id."""
        if spec is not None:
            parts = [format_value(self.values.get(name)) for name in spec.title_fields]
            text = " ".join(p for p in parts if p)
            if text:
                return text
        return self.id


def format_value(value: Any, spec: FieldSpec | None = None) -> str:
    """A value as plain text for display or export (never markup; callers escape nothing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if spec is not None and spec.choices and spec.type in (FieldType.CHOICE, FieldType.REFERENCE):
        return spec.choice_label(str(value))
    return str(value)


def jsonable(value: Any) -> Any:
    """A typed value as a JSON-friendly value (dates as ISO text, decimals as strings)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
