"""LeadSquared field metadata and its string values to and from Python types (both date formats)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from crmtui.backends.wire_text import converters, from_text, is_true, iso_day, to_text
from crmtui.model import Capability, Choice, EntitySpec, FieldSpec, FieldType

TYPES = {
    "string": FieldType.STRING,
    "text": FieldType.TEXT,
    "largeoptionset": FieldType.STRING,
    "email": FieldType.EMAIL,
    "phone": FieldType.PHONE,
    "website": FieldType.URL,
    "number": FieldType.DECIMAL,
    "boolean": FieldType.BOOLEAN,
    "date": FieldType.DATE,
    "datetime": FieldType.DATETIME,
    "select": FieldType.CHOICE,
    "dropdown": FieldType.CHOICE,
    "activeusers": FieldType.CHOICE,
}
# System fields LeadSquared fills in itself, whatever the metadata says.
SYSTEM_FIELDS = frozenset({"ProspectID", "ProspectAutoId", "CreatedOn", "ModifiedOn", "Score"})
SEARCH_FIELDS = ("EmailAddress", "LastName", "FirstName", "Company", "Phone", "Mobile", "mx_City")
LEAD = EntitySpec(
    "lead",
    "Leads",
    frozenset(
        {
            Capability.LIST,
            Capability.SEARCH,
            Capability.SORT,
            Capability.TOTAL,
            Capability.GET,
            Capability.CREATE,
            Capability.UPDATE,
            Capability.ASYNC_JOBS,
        }
    ),
    title_fields=("FirstName", "LastName"),
    search_fields=SEARCH_FIELDS,
    note="LeadSquared offers no lead delete through its API.",
)
_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def field_from_metadata(item: Mapping[str, Any]) -> FieldSpec:
    """A FieldSpec from one LeadsMetaData.Get entry (custom mx_ fields, option sets as choices)."""
    name = str(item.get("SchemaName") or "")
    kind = TYPES.get(str(item.get("DataType") or "").strip().lower(), FieldType.STRING)
    options = item.get("Options") or []
    choices = tuple(
        Choice(str(o.get("Value")), str(o.get("Text") or o.get("Value")))
        for o in options
        if isinstance(o, Mapping) and o.get("Value") not in (None, "")
    )
    if kind is FieldType.CHOICE and not choices:
        kind = FieldType.STRING
    length = str(item.get("MaxLength") or "").strip()
    return FieldSpec(
        name=name,
        label=str(item.get("DisplayName") or name),
        type=kind,
        required=flag(item.get("IsMandatory")),
        read_only=name in SYSTEM_FIELDS or flag(item.get("IsReadOnly")),
        max_length=int(length) if length.isdigit() and int(length) > 0 else None,
        choices=choices,
        custom=name.startswith("mx_"),
        description=str(item.get("DataType") or ""),
    )


def flag(value: Any) -> bool:
    """LeadSquared's flags: true/false, "1"/"0", "true"/"false"."""
    return is_true(value)


def parse_datetime(text: str) -> dt.datetime | None:
    """Either date format: "2017-11-30 07:40:18.000" or "/Date(1417453996000+0000)/" (as UTC)."""
    text = text.strip()
    found = _MS_DATE.match(text)
    if found:
        moment = dt.datetime.fromtimestamp(int(found.group(1)) / 1000, dt.UTC)
        return moment.replace(tzinfo=None)
    try:
        return dt.datetime.fromisoformat(text.split(".")[0])
    except ValueError:
        return None


def parse_value(value: Any, spec: FieldSpec | None) -> Any:
    """A vendor string as a typed value; anything unparsable stays as the vendor sent it."""
    return value if spec is None else from_text(value, _CONVERT.get(spec.type))


def _number(text: str) -> int | Decimal:
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() else number


def _moment(text: str) -> dt.datetime:
    parsed = parse_datetime(text)
    if parsed is None:
        raise ValueError(text)
    return parsed


def _day(text: str) -> dt.date:
    parsed = parse_datetime(text)
    return parsed.date() if parsed else iso_day(text)


# Whole numbers arrive as decimals ("12.0000"); either date form; no integer type of its own.
_CONVERT = converters(flag=flag, moment=_moment, day=_day, decimal=_number, integer=None)


def serialize(value: Any) -> str | None:
    """A typed value in LeadSquared's string form (flags "1"/"0")."""
    return to_text(value, true="1", false="0")


def attribute_list(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Typed values as LeadSquared's [{"Attribute", "Value"}] array."""
    return [{"Attribute": name, "Value": serialize(value)} for name, value in values.items()]
