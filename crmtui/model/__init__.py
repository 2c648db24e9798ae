"""Pure data and validation: entities, fields, records, pages, queries, changes. No I/O."""

from crmtui.model.changes import Change, ChangeSet, Validated, as_values, diff
from crmtui.model.fields import ActionSpec, Capability, Choice, EntitySpec, FieldSpec, FieldType
from crmtui.model.pages import Page, count_label
from crmtui.model.queries import Filter, Query, Sort
from crmtui.model.records import Record, format_value, jsonable
from crmtui.model.validation import Validator

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
