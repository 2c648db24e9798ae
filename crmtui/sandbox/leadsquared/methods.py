"""The LeadSquared emulator's synchronous methods: one call in, its JSON answer out.

The service is WCF, which matches query-string names without regard to case: `leadId`,
`LeadId` and `leadid` are one parameter, as are `emailaddress` and `EmailAddress`, `RequestId`
and `requestId`. Every lookup here goes through `query()`, which lower-cases the names.
Choices where the public record is silent:
- `LeadsMetaData.Get?schemaName=X` answers a list holding only X's entry (the apidocs sample is
  such a list), `[]` when no field has that name (matched without case); `excludeOptionSets=1`
  drops every `Options` list.
- `Lead.Update` without `leadId` is MXMandatoryAttributeMissingException "'leadId' is mandatory
  for updating lead" (the apidocs error-handling sample, verbatim).
- `Leads.GetByQuickSearch?key=` matches the key, without case, inside FirstName, LastName,
  EmailAddress, Company, Phone or Mobile; it answers at most 100 leads, oldest first.
- `Lead.Convert?leadId=` turns a tracked website visitor into a lead (LeadSquared's PHP library
  calls it `convert_visitor`): the visitor's ProspectID is kept, the attribute array becomes the
  lead's fields (EmailAddress required). Converting an id that is already a lead updates it, so
  a retried convert succeeds; an unknown id is MXInvalidEntityException.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from crmtui.sandbox.leadsquared import opportunities, schema
from crmtui.sandbox.leadsquared.leads import LsqData, MxError, attributes
from crmtui.sandbox.leadsquared.search import quick_search, recently_modified, search

__all__ = ["json_body", "lead_method", "opportunity_method", "query"]


def query(request: Request) -> dict[str, str]:
    """The query string with lower-cased names (the first value of a repeated name wins)."""
    out: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        out.setdefault(name.lower(), value)
    return out


async def json_body(request: Request) -> Any:
    """The JSON body, or MXInvalidInputException (400) when it is not JSON."""
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise MxError("InvalidInput", "The request body is not valid JSON.", 400) from None


def _metadata(q: dict[str, str]) -> list[dict[str, Any]]:
    wanted = q.get("schemaname", "").strip().lower()
    items = [
        schema.metadata(f, n)
        for n, f in enumerate(schema.LEAD_FIELDS)
        if not wanted or f.name.lower() == wanted
    ]
    if q.get("excludeoptionsets", "").strip().lower() in ("1", "true"):
        for item in items:
            item.pop("Options", None)
    return items


async def lead_method(request: Request, data: LsqData, method: str) -> Any:
    """One LeadManagement.svc method (`method` lower-cased); its JSON answer."""
    q = query(request)
    if request.method == "GET":
        if method == "leads.getbyid":
            return data.by_id(q.get("id", ""))
        if method == "leads.getbyemailaddress":
            return data.by_email(q.get("emailaddress", ""))
        if method == "leads.getbyquicksearch":
            return quick_search(data, q.get("key", ""))
        if method == "leadsmetadata.get":
            return _metadata(q)
        raise MxError("InvalidInput", "The API could not be found.", 404)
    if method == "leads.get":
        return search(data, await json_body(request))
    if method == "leads.recentlymodified":
        return recently_modified(data, await json_body(request))
    if method == "lead.create":
        lead_id = data.create(attributes(await json_body(request)))
        return {"Status": "Success", "Message": {"Id": lead_id}}
    if method == "lead.update":
        lead_id = q.get("leadid", "").strip()
        if not lead_id:
            raise MxError("MandatoryAttributeMissing", "'leadId' is mandatory for updating lead")
        rows = data.update(lead_id, attributes(await json_body(request)))
        return {"Status": "Success", "Message": {"AffectedRows": rows}}
    if method == "lead.convert":
        lead_id = q.get("leadid", "").strip()
        if not lead_id:
            raise MxError("MandatoryAttributeMissing", "'leadId' is mandatory for converting")
        rows = data.convert(lead_id, attributes(await json_body(request)))
        return {"Status": "Success", "Message": {"AffectedRows": rows}}
    if method in ("lead.capture", "lead.createorupdate"):
        behaviour = q.get("leadupdatebehavior", "")
        lead_id, created = data.capture(attributes(await json_body(request)), behaviour)
        return {
            "Status": "Success",
            "Message": {"Id": lead_id, "AffectedRows": 1, "IsCreated": created},
        }
    raise MxError("InvalidInput", "The API could not be found.", 404)


async def opportunity_method(request: Request, data: LsqData, method: str) -> Any:
    """One OpportunityManagement.svc method (`method` lower-cased); its JSON answer."""
    q = query(request)
    if method == "capture" and request.method == "POST":
        return opportunities.capture(data, await json_body(request))
    if method == "getopportunitiesoflead":
        return opportunities.of_lead(data, q.get("leadid", ""), q.get("opportunitytype", ""))
    if method == "getopportunitydetails":
        return opportunities.details(data, q.get("opportunityid", ""))
    raise MxError("InvalidInput", "The API could not be found.", 404)
