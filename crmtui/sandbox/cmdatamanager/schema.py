"""The CMDataManager emulator's entities and fields, their metadata and value rules.

Field metadata (`GET /{entity}/fields`) — the seed shows only `ExternalID` and `Properties`, so
the sandbox chose these properties, every value a string like everything else the API returns:
  Name (system name, e.g. "FirstName"), Label ("First Name"), DataType (one of DATA_TYPES),
  Required / ReadOnly / Custom ("True" or "False"), MaxLength ("255" or "" for no limit),
  Options (picklist values joined with ";", else ""), LookupEntity (entity name, else "").
A field's ExternalID is derived from its entity and name, so it is stable across runs.

Record values on the wire are strings or null: dates "YYYY-MM-DD", datetimes
"YYYY-MM-DD HH:MM:SS" (UTC; a "T" separator is accepted on input), booleans "True"/"False"
(accepted in any case), integers "42" (up to 18 digits), decimals with two places "1250.00"
(input: up to 13 digits before the point and up to two after). The empty string is read as
null. Picklist values must match an option exactly.
Text, Email, Phone and URL values are at most 255 characters; TextArea has no limit. Lookups must
name an existing record of their LookupEntity. Internally integers and decimals are stored as
JSON numbers so that sorting by them is numeric.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

DATA_TYPES = ("Text", "TextArea", "Email", "Phone", "URL", "Integer", "Decimal", "Boolean",
              "Date", "DateTime", "Picklist", "Lookup")  # fmt: skip
_SHORT = {"Text", "Email", "Phone", "URL"}

OWNERS = (
    "Alice Moreton",
    "Bilal Hussain",
    "Carmen Ortiz",
    "Dylan Price",
    "Erin Walsh",
    "Farah Khan",
    "George Lin",
    "Hannah Cole",
)
LEAD_STATUSES = ("New", "Contacted", "Qualified", "Unqualified", "Converted")
LEAD_SOURCES = ("Website", "Referral", "Trade Show", "Advert", "Cold Call", "Partner", "Webinar")
INDUSTRIES = ("Retail", "Manufacturing", "Finance", "Healthcare", "Education", "Technology",
              "Hospitality", "Construction", "Charity", "Media")  # fmt: skip
STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
TASK_STATUSES = ("Open", "In Progress", "Completed")
PRIORITIES = ("Low", "Normal", "High")
SEGMENTS = ("SMB", "Mid-Market", "Enterprise", "Public Sector")
TIERS = ("Bronze", "Silver", "Gold", "Platinum")
CHANNELS = ("Email", "Phone", "SMS", "Post")


@dataclass(frozen=True)
class CmdField:
    """One field of a CMDataManager entity."""

    name: str
    data_type: str
    required: bool = False
    read_only: bool = False
    custom: bool = False
    options: tuple[str, ...] = ()
    lookup: str = ""
    label: str = ""

    @property
    def max_length(self) -> int | None:
        """255 for short text types, None (no limit) otherwise."""
        return 255 if self.data_type in _SHORT else None

    @property
    def title(self) -> str:
        """The label: given, or the system name split at capitals ("FirstName" -> "First Name")."""
        return self.label or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", self.name)


def _f(name: str, data_type: str = "Text", **kw: Any) -> CmdField:
    return CmdField(name, data_type, **kw)


_STAMPS = (
    _f("CreatedDate", "DateTime", read_only=True),
    _f("ModifiedDate", "DateTime", read_only=True),
)
_ADDRESS = (_f("Street"), _f("City"), _f("Postcode"), _f("Country"))
_OWNER = _f("Owner", "Picklist", options=OWNERS)
_RELATED = (
    _f("RelatedEntity", read_only=True),
    _f("RelatedExternalID", read_only=True, label="Related ExternalID"),
)

ENTITIES: dict[str, tuple[CmdField, ...]] = {
    "account": (
        _f("Name", required=True, label="Account Name"), _f("Website", "URL"),
        _f("Phone", "Phone"), _f("Email", "Email"), _f("Industry", "Picklist", options=INDUSTRIES),
        _f("Employees", "Integer"), _f("AnnualRevenue", "Decimal"), *_ADDRESS, _OWNER,
        _f("Notes", "TextArea"), _f("AccountTier", "Picklist", custom=True, options=TIERS),
        *_STAMPS,
    ),
    "lead": (
        _f("FirstName"), _f("LastName", required=True), _f("Email", "Email"),
        _f("Phone", "Phone"), _f("Mobile", "Phone"), _f("Company"), _f("JobTitle"),
        _f("Website", "URL"), _f("Status", "Picklist", options=LEAD_STATUSES),
        _f("Source", "Picklist", options=LEAD_SOURCES), _OWNER, *_ADDRESS,
        _f("Notes", "TextArea"), _f("Score", "Integer"), _f("Revenue", "Decimal"),
        _f("DoNotEmail", "Boolean", label="Do Not Email"), _f("LastContacted", "DateTime"),
        _f("ConvertedAccount", "Lookup", read_only=True, lookup="account"),
        _f("Segment", "Picklist", custom=True, options=SEGMENTS),
        _f("NewsletterOptIn", "Boolean", custom=True, label="Newsletter Opt-in"),
        _f("EventsAttended", "Integer", custom=True), _f("Interests", custom=True),
        *_STAMPS,
    ),
    "contact": (
        _f("FirstName"), _f("LastName", required=True), _f("Email", "Email"),
        _f("Phone", "Phone"), _f("Mobile", "Phone"), _f("JobTitle"),
        _f("Account", "Lookup", lookup="account"), _OWNER, *_ADDRESS,
        _f("DoNotEmail", "Boolean", label="Do Not Email"), _f("BirthDate", "Date"),
        _f("Notes", "TextArea"), _f("PreferredChannel", "Picklist", custom=True, options=CHANNELS),
        *_STAMPS,
    ),
    "task": (
        _f("Subject", required=True), _f("DueDate", "Date"),
        _f("Priority", "Picklist", options=PRIORITIES),
        _f("Status", "Picklist", options=TASK_STATUSES), _OWNER, _f("Notes", "TextArea"),
        _f("ClosedDate", "DateTime", read_only=True), *_RELATED, *_STAMPS,
    ),
    "opportunity": (
        _f("Name", required=True, label="Opportunity Name"),
        _f("Account", "Lookup", lookup="account"), _f("Stage", "Picklist", options=STAGES),
        _f("Amount", "Decimal"), _f("Probability", "Integer"), _f("CloseDate", "Date"), _OWNER,
        _f("Notes", "TextArea"), *_RELATED, *_STAMPS,
    ),
    "membership": (
        _f("MembershipNumber", required=True, custom=True),
        _f("Contact", "Lookup", lookup="contact", custom=True),
        _f("Level", "Picklist", options=TIERS, custom=True), _f("StartDate", "Date", custom=True),
        _f("EndDate", "Date", custom=True), _f("Fee", "Decimal", custom=True),
        _f("AutoRenew", "Boolean", label="Auto Renew", custom=True),
        _f("Notes", "TextArea", custom=True), *_STAMPS,
    ),
}  # fmt: skip
CUSTOM_ENTITY = "membership"
NO_FIELDS_ENDPOINT = frozenset({"task"})  # the seed lists no fields endpoint for task
DEFAULTS: dict[str, dict[str, str]] = {
    "lead": {"Status": "New"},
    "task": {"Status": "Open", "Priority": "Normal"},
    "opportunity": {"Stage": "Prospecting"},
}
FIELDS: dict[str, dict[str, CmdField]] = {e: {f.name: f for f in fs} for e, fs in ENTITIES.items()}

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


_HEADS = [a + b + c for a in _LETTERS for b in _LETTERS for c in _LETTERS]
_PAIRS = [d + x for d in "0123456789" for x in _LETTERS]


def format_id(n: int) -> str:
    """An ExternalID in the seed's shape ("ABC1D2E3": three letters, then digit/letter pairs)."""
    n, head = divmod(n, len(_HEADS))
    n, one = divmod(n, len(_PAIRS))
    n, two = divmod(n, len(_PAIRS))
    return f"{_HEADS[head]}{_PAIRS[one]}{_PAIRS[two]}{n % 10}"


def field_id(entity: str, name: str) -> str:
    """The stable ExternalID of a field."""
    return format_id(int.from_bytes(hashlib.sha1(f"{entity}.{name}".encode()).digest()[:8], "big"))


def properties(f: CmdField) -> dict[str, str]:
    """The field-metadata Properties of one field, all strings."""
    return {
        "Name": f.name,
        "Label": f.title,
        "DataType": f.data_type,
        "Required": str(f.required),
        "ReadOnly": str(f.read_only),
        "Custom": str(f.custom),
        "MaxLength": "" if f.max_length is None else str(f.max_length),
        "Options": ";".join(f.options),
        "LookupEntity": f.lookup,
    }


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-.]{2,39}$")
_INT = re.compile(r"^-?\d{1,18}$")
_DEC = re.compile(r"^-?\d{1,13}(\.\d{1,2})?$")  # stays exact as a float


def to_stored(f: CmdField, value: str) -> Any:
    """Check a non-empty wire value and return what the store keeps; ValueError says why not."""
    kind = f.data_type
    if f.max_length is not None and len(value) > f.max_length:
        raise ValueError(f"Longer than {f.max_length} characters.")
    if kind == "Email" and not _EMAIL.match(value):
        raise ValueError("Not a valid email address.")
    if kind == "Phone" and not _PHONE.match(value):
        raise ValueError("Not a valid phone number.")
    if kind == "URL" and not re.match(r"^https?://\S+$", value):
        raise ValueError("Not a valid URL (http:// or https://).")
    if kind == "Integer":
        if not _INT.match(value):
            raise ValueError("Not a whole number.")
        return int(value)
    if kind == "Decimal":
        if not _DEC.match(value):
            raise ValueError("Not a decimal number with at most two decimal places.")
        return float(value)
    if kind == "Boolean":
        if value.lower() not in ("true", "false"):
            raise ValueError('Must be "True" or "False".')
        return "True" if value.lower() == "true" else "False"
    if kind == "Date":
        try:
            return date.fromisoformat(value).isoformat() if len(value) == 10 else _bad_date()
        except ValueError:
            raise ValueError("Not a date (YYYY-MM-DD).") from None
    if kind == "DateTime":
        try:
            if len(value) != 19:
                _bad_date()
            return datetime.fromisoformat(value.replace("T", " ")).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise ValueError("Not a date and time (YYYY-MM-DD HH:MM:SS).") from None
    if kind == "Picklist" and value not in f.options:
        raise ValueError(f"Not one of the options: {'; '.join(f.options)}.")
    return value


def _bad_date() -> str:
    raise ValueError("bad length")


def to_wire(f: CmdField, stored: Any) -> str | None:
    """The API's string form of a stored value (None stays None)."""
    if stored is None or stored == "":
        return None
    if f.data_type == "Decimal":
        return f"{float(stored):.2f}"
    return str(stored)
