"""The LeadSquared emulator's fields, opportunity types and rules (docs/vendors/leadsquared.md).

Wire values: every lead value is a string or null — numbers "42" or "1250.50", flags "0"/"1"
(input also accepts "true"/"false" in any case), dates "yyyy-mm-dd", record datetimes
"yyyy-mm-dd hh:mm:ss.000" (input accepts it with or without ".000"). Metadata timestamps use the
other format, "/Date(1417453996000+0000)/". Select values must be one of the field's options
(matched case-insensitively, stored as the option's own spelling). EmailAddress is stored
lower-case, so lookups by email are case-insensitive. Text fields have a MaxLength; longer values
are MXInvalidInputException.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

OWNERS = (
    ("5c2b0e3a-0b7d-4c1e-9d5a-1f00000000a1", "Asha Rao"),
    ("5c2b0e3a-0b7d-4c1e-9d5a-1f00000000a2", "Ben Okafor"),
    ("5c2b0e3a-0b7d-4c1e-9d5a-1f00000000a3", "Chitra Iyer"),
    ("5c2b0e3a-0b7d-4c1e-9d5a-1f00000000a4", "Dan Mehta"),
)
SOURCES = ("Website", "Inbound Phone Call", "Referral", "Trade Show", "Google Ads", "Partner")
STAGES = ("Prospect", "Opportunity", "Customer", "Invalid", "Not Interested")
INDUSTRIES = ("Education", "Finance", "Healthcare", "Real Estate", "Retail", "Technology")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
METADATA_CREATED = "/Date(1417453996000+0000)/"


@dataclass(frozen=True)
class LsqField:
    """One lead field as LeadsMetaData.Get describes it."""

    name: str
    label: str
    data_type: str  # String, Text, Email, Phone, Website, Number, Boolean, Date, DateTime, Select
    mandatory: bool = False
    max_length: int | None = None
    options: tuple[tuple[str, str], ...] = ()  # (value, text)
    read_only: bool = False
    unique: bool = False

    @property
    def custom(self) -> bool:
        """Custom fields are named mx_..."""
        return self.name.startswith("mx_")


def _select(name: str, label: str, values: tuple[str, ...]) -> LsqField:
    return LsqField(name, label, "Select", options=tuple((v, v) for v in values))


LEAD_FIELDS: tuple[LsqField, ...] = (
    LsqField("ProspectID", "Lead Id", "String", read_only=True, unique=True),
    LsqField("ProspectAutoId", "Lead Number", "Number", read_only=True),
    LsqField("FirstName", "First Name", "String", max_length=100),
    LsqField("LastName", "Last Name", "String", max_length=100),
    LsqField("EmailAddress", "Email", "Email", mandatory=True, max_length=100, unique=True),
    LsqField("Company", "Company", "String", max_length=100),
    LsqField("Phone", "Phone Number", "Phone", max_length=50, unique=True),
    LsqField("Mobile", "Mobile Number", "Phone", max_length=50),
    LsqField("Website", "Website", "Website", max_length=200),
    _select("Source", "Lead Source", SOURCES),
    _select("ProspectStage", "Lead Stage", STAGES),
    LsqField("Score", "Score", "Number", read_only=True),
    LsqField("Revenue", "Revenue", "Number"),
    LsqField("DoNotEmail", "Do Not Email", "Boolean"),
    LsqField("DoNotCall", "Do Not Call", "Boolean"),
    LsqField("OwnerId", "Lead Owner", "ActiveUsers", options=OWNERS),
    LsqField("CreatedOn", "Created On", "DateTime", read_only=True),
    LsqField("ModifiedOn", "Modified On", "DateTime", read_only=True),
    LsqField("mx_City", "City", "String", max_length=100),
    LsqField("mx_Budget", "Budget", "Number"),
    _select("mx_Industry", "Industry", INDUSTRIES),
    LsqField("mx_Next_Follow_Up", "Next Follow Up", "Date"),
    LsqField("mx_Newsletter", "Newsletter", "Boolean"),
    LsqField("mx_Notes", "Notes", "Text", max_length=2000),
)
FIELDS: dict[str, LsqField] = {f.name: f for f in LEAD_FIELDS}
SEARCH_BY = ("EmailAddress", "Phone", "ProspectID")

# Opportunity types by event code, with their fields (schema name -> data type).
OPPORTUNITY_TYPES: dict[int, tuple[str, dict[str, str]]] = {
    12231: ("Product Demo", {"mx_Custom_1": "Number", "mx_Custom_2": "Number"}),
    12232: ("Renewal", {"mx_Custom_1": "Number", "mx_Custom_3": "String"}),
}


class InvalidValue(ValueError):
    """A value the field does not accept (the message names the field)."""


# RenderType numbers where the public record gives one (Phone is 6 in the apidocs sample); the
# others are the sandbox's own numbering.
_RENDER = {"String": 0, "Text": 1, "Email": 9, "Phone": 6, "Website": 10, "Number": 3,
           "Boolean": 5, "Date": 4, "DateTime": 7, "Select": 2, "ActiveUsers": 8}  # fmt: skip


def metadata(f: LsqField, position: int = 0) -> dict[str, Any]:
    """One entry of LeadsMetaData.Get (the keys of the apidocs sample, plus IsReadOnly/IsUnique)."""
    return {
        "Entity": "1",
        "SchemaName": f.name,
        "DisplayName": f.label,
        "DataType": f.data_type,
        "IsMandatory": f.mandatory,
        "MaxLength": "" if f.max_length is None else str(f.max_length),
        "IsCustom": f.custom,
        "IsReadOnly": f.read_only,
        "IsUnique": f.unique,
        "Options": [{"Value": v, "Text": t} for v, t in f.options] or None,
        "EntityAttributeId": 1000 + position,
        "RenderType": _RENDER.get(f.data_type, 0),
        "RenderTypeTextValue": f.data_type,
        "IsVisible": True,
        "IsSearchable": f.data_type != "Text",
        "IsLeadIdentifier": f.unique and not f.read_only,
        "LockAfterCreate": 1 if f.read_only else 0,
        "CreatedOn": METADATA_CREATED,
        "ModifiedOn": METADATA_CREATED,
    }


def parse_stamp(text: str) -> datetime:
    """A record datetime ("yyyy-mm-dd hh:mm:ss[.fff]") as an aware UTC datetime."""
    base = text.strip().split(".")[0]
    return datetime.strptime(base, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def stamp(moment: float) -> str:
    """Unix time as a record datetime, "yyyy-mm-dd hh:mm:ss.000"."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M:%S") + ".000"


def to_stored(f: LsqField, value: Any) -> str | None:
    """A written value in its stored (wire) form; InvalidValue when the field refuses it."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidValue(f"{f.name}: expected a string value")
    text = str(value).strip()
    if text == "":
        return None
    kind = f.data_type
    if kind == "Number":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise InvalidValue(f"{f.name}: '{text}' is not a number") from None
        if not number.is_finite():
            raise InvalidValue(f"{f.name}: '{text}' is not a number")
        return text
    if kind == "Boolean":
        word = text.lower()
        if word in ("1", "true"):
            return "1"
        if word in ("0", "false"):
            return "0"
        raise InvalidValue(f"{f.name}: '{text}' is not 0, 1, true or false")
    if kind == "Date":
        try:
            datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            raise InvalidValue(f"{f.name}: '{text}' is not a yyyy-mm-dd date") from None
        return text
    if kind == "DateTime":
        try:
            return parse_stamp(text).strftime("%Y-%m-%d %H:%M:%S") + ".000"
        except ValueError:
            raise InvalidValue(f"{f.name}: '{text}' is not yyyy-mm-dd hh:mm:ss") from None
    if kind in ("Select", "ActiveUsers"):
        for option, label in f.options:
            if text.lower() in (option.lower(), label.lower()):
                return option
        raise InvalidValue(f"{f.name}: '{text}' is not one of the field's options")
    if f.max_length is not None and len(text) > f.max_length:
        raise InvalidValue(f"{f.name}: longer than {f.max_length} characters")
    if kind == "Email":
        if not _EMAIL.match(text):
            raise InvalidValue(f"{f.name}: '{text}' is not an email address")
        return text.lower()
    return text
