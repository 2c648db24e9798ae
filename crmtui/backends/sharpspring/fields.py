"""SharpSpring's entities, typed standard fields and getFields metadata; values to and from strings.

Every scalar arrives as a string: flags "0"/"1", numbers, dates "YYYY-MM-DD" and timestamps
"YYYY-MM-DD HH:MM:SS" in the API version's zone (v1: the company's, v1.2: UTC). Timestamps become
aware datetimes in the user's zone.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crmtui.backends.local_time import LocalTime
from crmtui.backends.page_values import ValueTyper
from crmtui.backends.wire_text import Convert, converters, from_text, text_parser, to_text
from crmtui.model import Capability, Choice, EntitySpec, FieldSpec, FieldType

STAMP = "%Y-%m-%d %H:%M:%S"
LEAD_STATUSES = ("unqualified", "open", "qualified", "contact", "contactWithOpp")
STATUS_LABELS = ("Unqualified", "Open", "Qualified", "Contact", "Contact with opportunity")
TYPES = {
    "text": FieldType.STRING,
    "string": FieldType.STRING,
    "textarea": FieldType.TEXT,
    "email": FieldType.EMAIL,
    "phone": FieldType.PHONE,
    "url": FieldType.URL,
    "int": FieldType.INTEGER,
    "float": FieldType.DECIMAL,
    "bit": FieldType.BOOLEAN,
    "boolean": FieldType.BOOLEAN,
    "checkbox": FieldType.BOOLEAN,
    "date": FieldType.DATE,
    "datetime": FieldType.DATETIME,
    "picklist": FieldType.CHOICE,
    "reference": FieldType.REFERENCE,
}


@dataclass(frozen=True)
class SsEntity:
    """One entity: its methods' names, result key and the where keys its list takes."""

    name: str
    label: str
    single: str  # getLead, ...; "" when only the list method exists
    plural: str  # getLeads, createLeads, ...
    key: str  # the result key of reads
    writable: bool = True
    list_method: str = ""


ENTITIES = {
    e.name: e
    for e in (
        SsEntity("lead", "Leads", "Lead", "Leads", "lead"),
        SsEntity("account", "Accounts", "Account", "Accounts", "account"),
        SsEntity("campaign", "Campaigns", "Campaign", "Campaigns", "campaign"),
        SsEntity("opportunity", "Opportunities", "Opportunity", "Opportunities", "opportunity"),
        SsEntity("deal_stage", "Deal stages", "", "DealStages", "dealStage", False),
        SsEntity("user_profile", "User profiles", "", "UserProfiles", "userProfile", False),
        SsEntity("list", "Lists", "", "ActiveLists", "activeList", False),
        SsEntity("event", "Events", "", "Events", "event", False),
    )
}
TITLES = {
    "lead": ("firstName", "lastName"),
    "account": ("accountName",),
    "campaign": ("campaignName",),
    "opportunity": ("opportunityName",),
    "deal_stage": ("dealStageName",),
    "user_profile": ("displayName",),
    "list": ("name",),
    "event": ("eventName",),
}
WRITE_CAPS = {Capability.CREATE, Capability.UPDATE, Capability.DELETE, Capability.WATCH}
REFERENCES = {
    "ownerID": "user_profile",
    "accountID": "account",
    "campaignID": "campaign",
    "dealStageID": "deal_stage",
    "originatingLeadID": "lead",
    "primaryLeadID": "lead",
    "leadID": "lead",
    "listID": "list",
}


EVENT_KINDS = (  # the eventSource values behind seed 001's Watch Emails, Pages and Forms
    ("emailOpened", "Email opened"),
    ("emailClick", "Email link clicked"),
    ("emailUnsubscribe", "Unsubscribed"),
    ("pageVisit", "Page visited"),
    ("formSubmit", "Form filled out"),
    ("mediaOpen", "Media opened"),
)


def entity_specs() -> list[EntitySpec]:
    """The seven entities of seed 001, and lead events (its Watch Emails, Pages and Forms)."""
    specs = []
    for e in ENTITIES.values():
        caps = {Capability.LIST, Capability.GET}
        if e.writable:
            caps |= WRITE_CAPS
        search: tuple[str, ...] = ("emailAddress",) if e.name == "lead" else ()
        if e.name == "event":  # no getEvent: events are listed and watched, not fetched by id
            caps = {Capability.LIST, Capability.WATCH}
            search = ("leadID", "eventSource")
        if search:
            caps.add(Capability.SEARCH)
        note = "" if e.writable else "read-only in the SharpSpring API"
        if e.name == "event":
            note = "email opens, page visits, form fills: filter by eventSource, watch live"
        specs.append(
            EntitySpec(e.name, e.label, frozenset(caps), TITLES[e.name], search, note=note)
        )
    return specs


def _label(name: str) -> str:
    """ "leadScoreWeighted" -> "Lead score weighted"; "ownerID" -> "Owner"."""
    if name.endswith("ID") and len(name) > 2:
        name = name[:-2]
    words = ""
    for i, char in enumerate(name):
        if char.isupper() and i and not name[i - 1].isupper():
            words += " "
        words += char.lower()
    return words[:1].upper() + words[1:]


def _std(spec: str) -> tuple[FieldSpec, ...]:
    """Fields from "name:type[!|*]" words (`!` required, `*` read-only)."""
    out = []
    for word in spec.split():
        required, read_only = word.endswith("!"), word.endswith("*")
        name, _, kind = word.rstrip("!*").partition(":")
        ftype = TYPES[kind.rstrip("!*") or "text"]
        choices: tuple[Choice, ...] = ()
        if name == "leadStatus":
            choices = tuple(
                Choice(v, lab) for v, lab in zip(LEAD_STATUSES, STATUS_LABELS, strict=True)
            )
        if name == "eventSource":
            choices = tuple(Choice(v, lab) for v, lab in EVENT_KINDS)
        out.append(
            FieldSpec(
                name,
                _label(name),
                ftype,
                required,
                read_only,
                choices=choices,
                reference=REFERENCES.get(name) if ftype is FieldType.REFERENCE else None,
            )
        )
    return tuple(out)


STAMPS = "createTimestamp:datetime* updateTimestamp:datetime*"
STANDARD: dict[str, tuple[FieldSpec, ...]] = {
    "lead": _std(
        "emailAddress:email! firstName lastName leadStatus:picklist ownerID:reference "
        "accountID:reference campaignID:reference companyName title street city country state "
        "zipcode website:url phoneNumber:phone officePhoneNumber:phone phoneNumberExtension "
        "mobilePhoneNumber:phone faxNumber:phone description:textarea industry leadScore:int "
        "leadScoreWeighted:int persona trackingID active:bit isUnsubscribed:bit isQualified:bit "
        f"isContact:bit isCustomer:bit {STAMPS}"
    ),
    "account": _std(
        "accountName! ownerID:reference industry phone:phone annualRevenue:float "
        "numberOfEmployees:int website:url fax:phone yearStarted:int billingStreetAddress "
        "billingCity billingState billingPostalCode billingCountry shippingStreetAddress "
        f"shippingCity shippingState shippingPostalCode shippingCountry {STAMPS}"
    ),
    "campaign": _std(
        "campaignName! campaignType campaignAlias campaignOrigin qty:int price:float "
        f"goal:float otherCosts:float startDate:date endDate:date isActive:bit {STAMPS}"
    ),
    "opportunity": _std(
        "opportunityName! ownerID:reference! dealStageID:reference! closeDate:date! "
        "amount:float probability:int isClosed:bit isWon:bit isActive:bit accountID:reference "
        f"campaignID:reference originatingLeadID:reference primaryLeadID:reference {STAMPS}"
    ),
    "deal_stage": _std(
        "dealStageName description defaultProbability:int weight:int isEditable:bit"
    ),
    "user_profile": _std(
        "displayName firstName lastName emailAddress:email isActive:bit userProfileType"
    ),
    "list": _std("name description memberCount:int removedCount:int createTimestamp:datetime*"),
    "event": _std(
        "createTimestamp:datetime* eventSource:picklist eventName leadID:reference whatType "
        "whatID eventData:textarea"
    ),
}


def custom_field(item: Mapping[str, Any]) -> FieldSpec:
    """A FieldSpec from one getFields entry (named by its system name)."""
    name = str(item.get("systemName") or "")
    kind = TYPES.get(str(item.get("dataType") or "").lower(), FieldType.STRING)
    length = str(item.get("dataLength") or "")
    return FieldSpec(
        name=name,
        label=str(item.get("label") or name),
        type=kind,
        required=str(item.get("isRequired")) == "1",
        read_only=str(item.get("isEditable", "1")) == "0",
        max_length=int(length) if length.isdigit() and kind is FieldType.STRING else None,
        custom=True,
    )


def parse_value(value: Any, spec: FieldSpec | None, zone: dt.tzinfo) -> Any:
    """A vendor string as a typed value; anything unparsable stays as the vendor sent it."""
    return value if spec is None else from_text(value, _converters(zone).get(spec.type))


TEXT_TYPES = frozenset(
    {FieldType.STRING, FieldType.TEXT, FieldType.EMAIL, FieldType.PHONE, FieldType.URL,
     FieldType.CHOICE, FieldType.REFERENCE}
)  # fmt: skip


def parsers(fields: Sequence[FieldSpec], zone: dt.tzinfo) -> dict[str, Callable[[Any], Any]]:
    """A parser per typed field (text-like fields need none): pages of 500 parse fast.

    Each does what `parse_value` does for its field's type, without deciding the type per value.
    """
    table = _converters(zone)
    return {
        spec.name: text_parser(table.get(spec.type))
        for spec in fields
        if spec.type not in TEXT_TYPES
    }


def typer(fields: Sequence[FieldSpec], zone: dt.tzinfo) -> ValueTyper:
    """What `record_of` does to an object's values: every string with an `&` decoded
    (`wire.text`), the typed fields typed as `parsers` does, text as sent, the id left out."""
    from crmtui.backends.sharpspring.wire import text

    table = _converters(zone)
    typed = {spec.name: table[spec.type] for spec in fields if spec.type not in TEXT_TYPES}
    return ValueTyper(typed, decode=text, drop=frozenset({"id"}))


@functools.lru_cache(maxsize=8)
def _converters(zone: dt.tzinfo) -> dict[FieldType, Convert]:
    """Flags "1"/"0"; timestamps in the API's zone, shown in the user's."""
    return converters(flag="1".__eq__, moment=LocalTime(zone).parse)


def serialize(value: Any, zone: dt.tzinfo) -> str | None:
    """A typed value in SharpSpring's string form (flags "1"/"0", times in the API's zone)."""

    def moment(when: dt.datetime) -> str:
        aware = when if when.tzinfo else when.astimezone()
        return aware.astimezone(zone).strftime(STAMP)

    return to_text(value, true="1", false="0", moment=moment)
