"""LeadSquared opportunities: the capture call, a lead's opportunities and one's details.

Choices where the public record is silent or split:
- Capture: LeadDetails must hold SearchBy (EmailAddress, Phone or ProspectID) and a value for
  that field; the lead is updated with the other details or created. The event code must be a
  known opportunity type (schema.OPPORTUNITY_TYPES), the date yyyy-mm-dd hh:mm:ss (default: now),
  Fields must belong to that type. The answer carries the keys of the DTO generated from a live
  answer (Status "Success", CreatedOpportunityId, RelatedProspectId, IsUnique,
  ConflictedOpportunityId null, AdditionalDetails [{ActivityId, PostDeDupActionPerformed: 1}])
  and, for older clients, `Message` {"Id", "RelatedProspectId", "IsCreated"}.
- GetOpportunitiesOfLead?leadId=&opportunityType=: the apidocs call opportunityType optional
  (one user found the live service wanting it); the published behaviour is followed: without it
  every type is listed, with it (the event code, or the type's name) one type; an unknown type
  is MXInvalidInputException, an unknown lead MXInvalidEntityException. The answer is
  {"RecordCount": N, "List": [opportunity...]}, newest first, as GetOpportunitiesByUniqueLeadField
  answers. GetOpportunityDetails?OpportunityId= answers one opportunity object.
- An opportunity object: ProspectOpportunityId, RelatedProspectId, OpportunityEventCode,
  OpportunityType, OpportunityName, Status (Open, Won or Lost), OpportunityNote,
  OpportunityDateTime, CreatedOn, ModifiedOn, then its type's mx_Custom_ fields ("" when unset).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from crmtui.sandbox.leadsquared import schema
from crmtui.sandbox.leadsquared.leads import LsqData, MxError, attributes
from crmtui.sandbox.leadsquared.schema import InvalidValue
from crmtui.sandbox.leadsquared.seed import LEAD, NS, OPPORTUNITY


def _wire(record: dict[str, Any]) -> dict[str, Any]:
    event = int(str(record.get("OpportunityEventCode") or 0))
    _, type_fields = schema.OPPORTUNITY_TYPES.get(event, ("", {}))
    out: dict[str, Any] = {
        "ProspectOpportunityId": record["OpportunityId"],
        "RelatedProspectId": record.get("RelatedProspectId"),
        "OpportunityEventCode": str(event),
        "OpportunityType": record.get("OpportunityType"),
        "OpportunityName": record.get("OpportunityName") or record.get("OpportunityType"),
        "Status": record.get("Status") or "Open",
        "OpportunityNote": record.get("OpportunityNote") or "",
        "OpportunityDateTime": record.get("OpportunityDateTime"),
        "CreatedOn": record.get("CreatedOn"),
        "ModifiedOn": record.get("ModifiedOn") or record.get("CreatedOn"),
    }
    out.update({name: str(record.get(name) or "") for name in type_fields})
    return out


def _event_code(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    for code, (name, _) in schema.OPPORTUNITY_TYPES.items():
        if name.casefold() == text.casefold():
            return code
    return None


def of_lead(data: LsqData, lead_id: str, opportunity_type: str) -> dict[str, Any]:
    """GetOpportunitiesOfLead: the lead's opportunities of one type."""
    lead_id = lead_id.strip().lower()
    if not lead_id:
        raise MxError("MandatoryAttributeMissing", "'leadId' is mandatory")
    if data.store.get(NS, LEAD, lead_id) is None:
        raise MxError("InvalidEntity", "Lead does not exist in the system")
    where = {"RelatedProspectId": lead_id}
    if opportunity_type.strip():
        code = _event_code(opportunity_type)
        if code is None or code not in schema.OPPORTUNITY_TYPES:
            raise MxError("InvalidInput", f"Invalid opportunityType {opportunity_type[:40]!r}")
        where["OpportunityEventCode"] = str(code)
    total = data.store.count(NS, OPPORTUNITY, where)
    rows = data.store.list(NS, OPPORTUNITY, offset=0, limit=total, where=where, descending=True)
    return {"RecordCount": len(rows), "List": [_wire(r) for _, r in rows]}


def details(data: LsqData, opportunity_id: str) -> dict[str, Any]:
    """GetOpportunityDetails: one opportunity."""
    oid = opportunity_id.strip().lower()
    if not oid:
        raise MxError("MandatoryAttributeMissing", "'OpportunityId' is mandatory")
    record = data.store.get(NS, OPPORTUNITY, oid)
    if record is None:
        raise MxError("InvalidEntity", "Opportunity does not exist in the system")
    return _wire(record)


def capture(data: LsqData, body: Any) -> dict[str, Any]:
    """OpportunityManagement.svc/Capture: the synchronous success answer."""
    if not isinstance(body, dict):
        raise MxError("InvalidInput", "Expected LeadDetails and Opportunity.", 400)
    details_ = attributes(body.get("LeadDetails"))
    if not details_.get("SearchBy"):  # seed 003: "mandatory to specify the SearchBy attribute"
        raise MxError("MandatoryAttributeMissing", "SearchBy attribute is missing.")
    opp = body.get("Opportunity")
    if not isinstance(opp, dict):
        raise MxError("MandatoryAttributeMissing", "Opportunity is missing.")
    try:
        event = int(str(opp.get("OpportunityEventCode")))
    except ValueError:
        raise MxError("MandatoryAttributeMissing", "OpportunityEventCode is missing.") from None
    if event not in schema.OPPORTUNITY_TYPES:
        raise MxError("InvalidInput", f"No opportunity type has event code {event}.")
    type_name, type_fields = schema.OPPORTUNITY_TYPES[event]
    when = str(opp.get("OpportunityDateTime") or "").strip()
    if when:
        try:
            datetime.strptime(when, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise MxError(
                "InvalidInput", "OpportunityDateTime must be yyyy-mm-dd hh:mm:ss."
            ) from None
    else:
        when = datetime.fromtimestamp(data.clock(), UTC).strftime("%Y-%m-%d %H:%M:%S")
    fields = _fields(opp.get("Fields"), type_fields)
    lead_id, created = data.capture(details_)
    oid = str(uuid.uuid4())
    now = schema.stamp(data.clock())
    record = {
        "OpportunityId": oid,
        "RelatedProspectId": lead_id,
        "OpportunityEventCode": str(event),
        "OpportunityType": type_name,
        "OpportunityName": type_name,
        "Status": "Open",
        "OpportunityNote": str(opp.get("OpportunityNote") or ""),
        "OpportunityDateTime": when,
        "CreatedOn": now,
        "ModifiedOn": now,
        **fields,
    }
    data.store.insert(NS, OPPORTUNITY, record, oid)
    return {
        "Status": "Success",
        "CreatedOpportunityId": oid,
        "RelatedProspectId": lead_id,
        "IsUnique": True,
        "ConflictedOpportunityId": None,
        "AdditionalDetails": [{"ActivityId": oid, "PostDeDupActionPerformed": 1}],
        "Message": {"Id": oid, "RelatedProspectId": lead_id, "IsCreated": created},
    }


def _fields(raw: Any, allowed: dict[str, str]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise MxError("InvalidInput", "Fields must be an array of SchemaName/Value pairs.")
    out: dict[str, str] = {}
    for item in raw:
        name = item.get("SchemaName") if isinstance(item, dict) else None
        if not isinstance(name, str) or name not in allowed:
            raise MxError("UnknownAttribute", f"Opportunity field {name} does not exist.")
        value = "" if item.get("Value") is None else str(item.get("Value"))
        if allowed[name] == "Number" and value:
            try:
                schema.to_stored(schema.LsqField(name, name, "Number"), value)
            except InvalidValue as exc:
                raise MxError("InvalidActivityFields", str(exc)) from None
        out[name] = value
    return out
