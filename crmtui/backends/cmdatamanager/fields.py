"""CMDataManager's entities and field metadata, and its string values to and from Python types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from crmtui.backends.page_values import ValueTyper
from crmtui.backends.wire_text import (
    converters,
    from_text,
    is_true,
    to_text,
    unescape_html,
)
from crmtui.model import Capability, Choice, EntitySpec, FieldSpec, FieldType

STANDARD_ENTITIES = ("lead", "account", "contact", "opportunity", "task")
LABELS = {
    "lead": "Leads",
    "account": "Accounts",
    "contact": "Contacts",
    "opportunity": "Opportunities",
    "task": "Tasks",
}
# Candidate title fields; a record shows those it has.
TITLES = {
    "lead": ("FirstName", "LastName"),
    "contact": ("FirstName", "LastName"),
    "account": ("Name", "AccountName"),
    "opportunity": ("Name", "OpportunityName"),
    "task": ("Subject", "Title"),
}
ENTITY_CAPS = frozenset(
    {
        Capability.LIST,
        Capability.SORT,
        Capability.TOTAL,
        Capability.FIELD_SELECT,
        Capability.GET,
        Capability.CREATE,
        Capability.UPDATE,
        Capability.DELETE,
    }
)
TYPES = {
    "text": FieldType.STRING,
    "string": FieldType.STRING,
    "textarea": FieldType.TEXT,
    "email": FieldType.EMAIL,
    "phone": FieldType.PHONE,
    "url": FieldType.URL,
    "integer": FieldType.INTEGER,
    "number": FieldType.DECIMAL,
    "decimal": FieldType.DECIMAL,
    "currency": FieldType.DECIMAL,
    "boolean": FieldType.BOOLEAN,
    "date": FieldType.DATE,
    "datetime": FieldType.DATETIME,
    "picklist": FieldType.CHOICE,
    "lookup": FieldType.REFERENCE,
}
READ_ONLY_GUESSES = {"CreatedDate", "ModifiedDate", "ExternalID"}


def entity_specs(custom: Sequence[str]) -> list[EntitySpec]:
    """The standard entities and the profile's custom ones."""
    specs = [
        EntitySpec(name, LABELS[name], ENTITY_CAPS, title_fields=TITLES[name])
        for name in STANDARD_ENTITIES
    ]
    specs.extend(
        EntitySpec(name, name.replace("_", " ").title(), ENTITY_CAPS, custom=True)
        for name in custom
        if name not in STANDARD_ENTITIES
    )
    return specs


def _flag(value: Any) -> bool:
    return is_true(value)


def field_from_metadata(item: Mapping[str, Any]) -> FieldSpec:
    """A FieldSpec from one entry of `/{entity}/fields` (`{"ExternalID", "Properties": {...}}`)."""
    props = item.get("Properties") or {}
    name = str(props.get("Name") or item.get("ExternalID") or "")
    kind = TYPES.get(str(props.get("DataType", "")).strip().lower(), FieldType.STRING)
    options = str(props.get("Options") or "")
    choices = tuple(Choice(o.strip(), o.strip()) for o in options.split(";") if o.strip())
    max_length = str(props.get("MaxLength") or "").strip()
    return FieldSpec(
        name=name,
        label=str(props.get("Label") or name),
        type=kind,
        required=_flag(props.get("Required")),
        read_only=_flag(props.get("ReadOnly")),
        max_length=int(max_length) if max_length.isdigit() else None,
        choices=choices,
        custom=_flag(props.get("Custom")),
        reference=str(props.get("LookupEntity") or "") or None,
    )


def infer_fields(entity: str, samples: Sequence[Mapping[str, Any]]) -> list[FieldSpec]:
    """Fields guessed from records, for entities the seed gives no fields call (task)."""
    names: dict[str, None] = {}
    for sample in samples:
        names.update(dict.fromkeys(sample))
    specs = []
    for name in names:
        values = [str(s[name]) for s in samples if s.get(name) not in (None, "")]
        specs.append(
            FieldSpec(
                name=name,
                label=_label(name),
                type=_guess_type(name, values),
                read_only=name in READ_ONLY_GUESSES,
                description="inferred from records: CMDataManager documents no field list here",
            )
        )
    return specs


def _label(name: str) -> str:
    out = ""
    for i, char in enumerate(name):
        if char.isupper() and i and not name[i - 1].isupper():
            out += " "
        out += char
    return out


def _guess_type(name: str, values: Sequence[str]) -> FieldType:
    if not values:
        return FieldType.STRING
    if all(v in ("True", "False") for v in values):
        return FieldType.BOOLEAN
    if all(_is_date(v) for v in values):
        return FieldType.DATE
    if all(_is_datetime(v) for v in values):
        return FieldType.DATETIME
    if name.lower().endswith("date") and all(_is_datetime(v) or _is_date(v) for v in values):
        return FieldType.DATETIME
    if any(len(v) > 255 or "\n" in v for v in values):
        return FieldType.TEXT
    return FieldType.STRING


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _is_datetime(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return len(text) > 10


def parse_value(value: Any, spec: FieldSpec | None) -> Any:
    """A vendor string as a typed value; anything unparsable stays as the vendor sent it."""
    return value if spec is None else from_text(value, _CONVERT.get(spec.type))


_CONVERT = converters()  # ISO dates and timestamps; flags "True"/"False" (or 1/yes)


Parsers = ValueTyper
"""What `parse_value` does to the string values of a list of fields, made once per page instead
of once per value (a page of 500 records holds some 15,000 values): text typed in the web UI
(stored HTML-encoded) decoded, non-text fields typed, blank text None, anything else as sent."""


def parsers(fields: Sequence[FieldSpec]) -> Parsers:
    """The Parsers of `fields` (the last spec of a name wins, as in a dict by name)."""
    by_name = {spec.name: spec for spec in fields}
    typed = {name: _CONVERT[spec.type] for name, spec in by_name.items()
             if spec.type in _CONVERT}  # fmt: skip
    text = frozenset(name for name in by_name if name not in typed)
    return ValueTyper(typed, blank_none=text, decode=unescape_html)


def serialize(value: Any) -> str | None:
    """A typed value in CMDataManager's string form (flags "True"/"False")."""
    return to_text(value, true="True", false="False")
