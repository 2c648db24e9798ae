"""Pure data and validation: entities, fields, records, pages, queries, changes. No I/O.

The names below are imported from their modules when first used, so importing one module of
the package (`crmtui.model.fields`) loads no other (`validation` imports pydantic).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmtui.model.changes import Change, ChangeSet, Validated, as_values, diff
    from crmtui.model.fields import (
        ActionSpec,
        Capability,
        Choice,
        EntitySpec,
        FieldSpec,
        FieldType,
    )
    from crmtui.model.pages import Page, count_label
    from crmtui.model.queries import Filter, Query, Sort
    from crmtui.model.records import Record, format_value, jsonable
    from crmtui.model.validation import Validator

_HOMES = {
    "changes": ("Change", "ChangeSet", "Validated", "as_values", "diff"),
    "fields": ("ActionSpec", "Capability", "Choice", "EntitySpec", "FieldSpec", "FieldType"),
    "pages": ("Page", "count_label"),
    "queries": ("Filter", "Query", "Sort"),
    "records": ("Record", "format_value", "jsonable"),
    "validation": ("Validator",),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "ActionSpec",
    "Capability",
    "Change",
    "ChangeSet",
    "Choice",
    "EntitySpec",
    "FieldSpec",
    "FieldType",
    "Filter",
    "Page",
    "Query",
    "Record",
    "Sort",
    "Validated",
    "Validator",
    "as_values",
    "count_label",
    "diff",
    "format_value",
    "jsonable",
]


def __getattr__(name: str) -> Any:
    """One of `__all__`, imported from its module (and kept) when first asked for."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"crmtui.model.{module}"), name)
    globals()[name] = value
    return value
