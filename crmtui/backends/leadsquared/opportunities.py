"""LeadSquared opportunities as a read-only entity: a lead's opportunities and one's details.

`GetOpportunitiesOfLead?leadId=[&opportunityType=]` answers `{"RecordCount", "List"}` and
`GetOpportunityDetails?OpportunityId=` one opportunity object (apidocs; users found the live
service sometimes wanting `opportunityType`, so a search may name it). An opportunity is listed
by searching `RelatedProspectId=<lead id>`, optionally with `OpportunityEventCode=<code>`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from crmtui.backends.leadsquared.fields import parse_value
from crmtui.backends.leadsquared.wire import wire_value
from crmtui.errors import TransportError, UsageError
from crmtui.model import ActionSpec, Capability, EntitySpec, FieldSpec, FieldType, Query, Record

Call = Callable[..., Awaitable[Any]]
PATH = "OpportunityManagement.svc"
ID_KEYS = ("ProspectOpportunityId", "OpportunityId", "Id")
OPPORTUNITY = EntitySpec(
    "opportunity",
    "Opportunities",
    frozenset({Capability.SEARCH, Capability.GET, Capability.TOTAL}),
    title_fields=("OpportunityName",),
    search_fields=("RelatedProspectId",),
    note="LeadSquared lists opportunities by lead: search RelatedProspectId=<lead id>.",
)
CONVERT = ActionSpec(
    "convert",
    "Convert a website visitor (by its ProspectID) into a lead",
    (
        FieldSpec("EmailAddress", "Email", FieldType.EMAIL, required=True),
        FieldSpec("FirstName", "First name"),
        FieldSpec("LastName", "Last name"),
        FieldSpec("Phone", "Phone", FieldType.PHONE),
    ),
)
_FIELDS: tuple[tuple[str, str, FieldType], ...] = (
    ("OpportunityName", "Name", FieldType.STRING),
    ("OpportunityType", "Type", FieldType.STRING),
    ("OpportunityEventCode", "Event code", FieldType.INTEGER),
    ("Status", "Status", FieldType.STRING),
    ("RelatedProspectId", "Lead id", FieldType.STRING),
    ("OpportunityNote", "Note", FieldType.TEXT),
    ("OpportunityDateTime", "Date", FieldType.DATETIME),
    ("CreatedOn", "Created on", FieldType.DATETIME),
    ("ModifiedOn", "Modified on", FieldType.DATETIME),
)


def opportunity_fields() -> list[FieldSpec]:
    """The documented opportunity keys (read-only: crmtui captures, it does not edit)."""
    return [FieldSpec(name, label, kind, read_only=True) for name, label, kind in _FIELDS]


def as_record(item: Mapping[str, Any]) -> Record:
    """One opportunity object as a Record (custom mx_ fields kept as text; the id once)."""
    specs = {f.name: f for f in opportunity_fields()}
    oid = next((str(item[k]) for k in ID_KEYS if item.get(k)), "")
    values: dict[str, Any] = {}
    for key, value in item.items():
        if key in specs or key.startswith("mx_"):
            values[key] = parse_value(wire_value(value), specs.get(key))
    return Record("opportunity", oid, values, dict(item))


def lead_and_type(query: Query) -> tuple[str, str]:
    """The lead id (and event code, if any) a search names; UsageError otherwise."""
    lead, code = "", ""
    for flt in query.filters:
        if flt.field == "RelatedProspectId":
            lead = flt.value.strip()
        elif flt.field == "OpportunityEventCode":
            code = flt.value.strip()
        else:
            raise UsageError("LeadSquared opportunities are searched by RelatedProspectId")
    if not lead:
        raise UsageError(f"{OPPORTUNITY.note}")
    return lead, code


async def of_lead(call: Call, lead_id: str, event_code: str = "") -> list[Record]:
    """GetOpportunitiesOfLead: the lead's opportunities (of one type when `event_code`)."""
    params = {"leadId": lead_id}
    if event_code:
        params["opportunityType"] = event_code
    body = await call(
        "GET", f"{PATH}/GetOpportunitiesOfLead", params=params, what=f"lead {lead_id}"
    )
    items = body.get("List") if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise TransportError("LeadSquared sent a lead's opportunities in an unexpected shape")
    return [as_record(item) for item in items if isinstance(item, dict)]


async def details(call: Call, opportunity_id: str) -> Record:
    """GetOpportunityDetails: one opportunity."""
    body = await call(
        "GET",
        f"{PATH}/GetOpportunityDetails",
        params={"OpportunityId": opportunity_id},
        what=f"opportunity {opportunity_id}",
    )
    if isinstance(body, list):
        body = body[0] if body else None
    if not isinstance(body, dict):
        raise TransportError("LeadSquared sent an opportunity in an unexpected shape")
    return as_record(body)
