"""SharpSpring's emulated schema: the fields of each object, custom fields, and wire formats.

Every value is stored as the API shows it (strings, flags "0"/"1"); timestamps are stored in UTC
as "YYYY-MM-DD HH:MM:SS" and shown in the company zone on v1 (see `app`). Custom fields are
stored in the "field" entity of the store, so a test may rename a label: the system name stays.
Field dataTypes used here: text, textarea, email, phone, url, int, float, bit, date, datetime,
picklist, country, state, reference (the last for ids of other objects).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

NS = "sharpspring"
STAMP = "%Y-%m-%d %H:%M:%S"
LOCAL_ZONE = "America/New_York"  # the emulated company's zone (v1 answers in it)
LEAD_STATUSES = ("unqualified", "open", "qualified", "contact", "contactWithOpp")


@dataclass(frozen=True)
class SsField:
    """One field of an object: system name, dataType, and whether it is required or read-only."""

    name: str
    kind: str = "text"
    required: bool = False
    read_only: bool = False


def _fields(spec: str) -> dict[str, SsField]:
    """Fields from "name:kind[!|*]" words: `!` required, `*` read-only."""
    out: dict[str, SsField] = {}
    for word in spec.split():
        required, read_only = word.endswith("!"), word.endswith("*")
        name, _, kind = word.rstrip("!*").partition(":")
        kind = kind.rstrip("!*") or "text"
        out[name] = SsField(name, kind, required, read_only)
    return out


STAMPS = "createTimestamp:datetime* updateTimestamp:datetime*"
OBJECTS: dict[str, dict[str, SsField]] = {
    "lead": _fields(
        "id:int* accountID:reference ownerID:reference campaignID:reference companyName title "
        "firstName lastName street city country:country state:state zipcode emailAddress:email! "
        "website:url phoneNumber:phone officePhoneNumber:phone phoneNumberExtension "
        "mobilePhoneNumber:phone faxNumber:phone description:textarea industry leadScore:int "
        "leadScoreWeighted:int persona trackingID active:bit isUnsubscribed:bit isQualified:bit "
        f"isContact:bit isCustomer:bit leadStatus:picklist {STAMPS}"
    ),
    "account": _fields(
        "id:int* accountName! ownerID:reference industry phone:phone annualRevenue:float "
        "numberOfEmployees:int website:url fax:phone yearStarted:int billingCity "
        "billingCountry:country billingPostalCode billingState:state billingStreetAddress "
        "shippingCity shippingCountry:country shippingPostalCode shippingState:state "
        f"shippingStreetAddress {STAMPS}"
    ),
    "campaign": _fields(
        "id:int* campaignName! campaignType campaignAlias campaignOrigin qty:int price:float "
        f"goal:float otherCosts:float startDate:date endDate:date isActive:bit {STAMPS}"
    ),
    "opportunity": _fields(
        "id:int* opportunityName! ownerID:reference! dealStageID:reference! closeDate:date! "
        "isClosed:bit isWon:bit isActive:bit accountID:reference campaignID:reference "
        "probability:int amount:float originatingLeadID:reference primaryLeadID:reference "
        f"{STAMPS}"
    ),
    "dealStage": _fields(
        "id:int* dealStageName description defaultProbability:int weight:int isEditable:bit"
    ),
    "userProfile": _fields(
        "id:int* firstName lastName displayName emailAddress:email isActive:bit isReseller:bit "
        "userTimezone phone userProfileType"
    ),
    "activeList": _fields(
        "id:int* name memberCount:int removedCount:int createTimestamp:datetime* description"
    ),
    "listMember": _fields("id:int* listID:reference leadID:reference emailAddress:email"),
    "event": _fields(
        "id:int* leadID:reference eventName whatID whatType eventData eventSource "
        "createTimestamp:datetime*"
    ),
}
REFERENCES = {
    "accountID": "account",
    "ownerID": "userProfile",
    "campaignID": "campaign",
    "dealStageID": "dealStage",
    "originatingLeadID": "lead",
    "primaryLeadID": "lead",
}

# (label, dataType, 13 hex digits): the seeded custom lead fields; system name = slug + "_" + hex.
CUSTOM_LEAD_FIELDS = (
    ("Favorite Color", "text", "5a0dd86e6e290"),
    ("Annual Budget", "float", "61f2a9c3b7d40"),
    ("Webinar Attended", "bit", "5f3e2d1c0b9a8"),
    ("Next Follow Up", "date", "6b7c8d9e0f1a2"),
)
DEAL_STAGES = (
    ("Prospecting", 10),
    ("Qualification", 25),
    ("Proposal", 50),
    ("Negotiation", 75),
    ("Closed Won", 100),
    ("Closed Lost", 0),
)


def system_name(label: str, hex13: str) -> str:
    """A custom field's system name: its label as a slug plus 13 hex digits."""
    slug = "".join(c if c.isalnum() else "_" for c in label).strip("_")
    return f"{slug}_{hex13}"


def custom_rows() -> list[tuple[str, dict[str, Any]]]:
    """The seeded custom field descriptions, as getFields shows them."""
    rows = []
    for number, (label, kind, hex13) in enumerate(CUSTOM_LEAD_FIELDS, start=1):
        rid = str(900 + number)
        rows.append(
            (
                rid,
                {
                    "id": rid,
                    "relationship": "lead",
                    "systemName": system_name(label, hex13),
                    "label": label,
                    "source": "sharpspring",
                    "dataType": "string" if kind == "text" else kind,
                    "dataLength": "255",
                    "isRequired": "0",
                    "isCustom": "1",
                    "isActive": "1",
                    "isAvailableInContactManager": "1",
                    "isEditableInContactManager": "1",
                    "isAvailableInForms": "1",
                },
            )
        )
    return rows


def standard_rows(relationship: str, start: int) -> list[tuple[str, dict[str, Any]]]:
    """getFields entries for the standard fields of an object."""
    rows = []
    for number, f in enumerate(OBJECTS[relationship].values(), start=start):
        rows.append(
            (
                str(number),
                {
                    "id": str(number),
                    "relationship": relationship,
                    "systemName": f.name,
                    "label": f.name,
                    "source": "sharpspring",
                    "dataType": "string" if f.kind == "text" else f.kind,
                    "dataLength": "255",
                    "isRequired": "1" if f.required else "0",
                    "isCustom": "0",
                    "isActive": "1",
                    "isAvailableInContactManager": "1",
                    "isEditableInContactManager": "0" if f.read_only else "1",
                    "isAvailableInForms": "0" if f.read_only else "1",
                },
            )
        )
    return rows


def check_value(f: SsField, value: Any) -> str | None:
    """A written value in stored form ("" or None for empty); ValueError when it is invalid."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = "1" if value else "0"
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("Expected a string")
    text = value.strip()
    if text == "":
        return None
    kind = f.kind
    if kind in ("int", "reference"):
        if not text.lstrip("-").isdigit():
            raise ValueError("Expected data of type integer")
    elif kind == "float":
        try:
            Decimal(text)
        except InvalidOperation:
            raise ValueError("Expected a number") from None
    elif kind == "bit":
        if text not in ("0", "1"):
            raise ValueError('Expected "0" or "1"')
    elif kind == "date":
        try:
            dt.date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError("Expected a date (YYYY-MM-DD)") from None
        text = text[:10]
    elif kind == "datetime":
        try:
            dt.datetime.strptime(text, STAMP)
        except ValueError:
            raise ValueError("Expected a date and time (YYYY-MM-DD HH:MM:SS)") from None
    elif kind == "picklist" and f.name == "leadStatus" and text not in LEAD_STATUSES:
        raise ValueError(f"Expected one of: {', '.join(LEAD_STATUSES)}")
    elif kind == "email" and ("@" not in text or " " in text):
        raise ValueError("Expected an email address")
    return text
