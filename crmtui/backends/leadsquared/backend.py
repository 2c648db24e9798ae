"""LeadSquared: v2 LeadManagement with keys in the query string, plus the async capture API.

Listing uses Leads.RecentlyModified over all time (from 1970 to tomorrow), because it is the one
lead list that carries a `RecordCount` total (Leads.Get answers a bare array). Pages are
`PageIndex`/`PageSize`, sorted by ProspectID (a unique key) unless the user sorts. A search by
email uses Leads.GetByEmailaddress; other searches use Leads.Get (no total). The 25-calls-per-5-s
limit is paced client-side; a 429 or the HTTP 200 + MXAPIRateLimitExceededException variant waits
a full window and retries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from crmtui.backends.base import Related
from crmtui.backends.leadsquared import listing, opportunities, search
from crmtui.backends.leadsquared.calls import LeadSquaredCalls
from crmtui.backends.leadsquared.fields import (
    LEAD,
    attribute_list,
    field_from_metadata,
    parse_value,
)
from crmtui.backends.leadsquared.opportunities import (
    OPPORTUNITY,
    lead_and_type,
    opportunity_fields,
)
from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.backends.leadsquared.spec import SPEC
from crmtui.backends.leadsquared.wire import wire_value
from crmtui.errors import NotFound, TransportError, UsageError, VendorError
from crmtui.http.retry import OpKind
from crmtui.model import (
    Change,
    EntitySpec,
    FieldSpec,
    Page,
    Query,
    Record,
    as_values,
)
from crmtui.model.filter import FilterSupport

ID_FIELD = "ProspectID"


class LeadSquaredBackend(LeadSquaredCalls):
    """Leads (list, search, get, create, update) and opportunity captures, sync or async."""

    spec = SPEC  # vendor, label, capabilities, raw hosts and pace (25 calls in any 5 s)
    settings: LeadSquaredProfile
    max_page_size = 500

    # -- metadata -------------------------------------------------------------------------------
    async def entities(self) -> list[EntitySpec]:
        """Leads, and opportunities (read by lead; captured from a lead)."""
        return [LEAD, OPPORTUNITY]

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        """LeadsMetaData.Get for leads; the documented keys for opportunities."""
        if entity == "opportunity":
            return opportunity_fields()
        body = await self._call("GET", "LeadManagement.svc/LeadsMetaData.Get", op=OpKind.READ)
        if not isinstance(body, list):
            raise TransportError("LeadSquared sent lead metadata in an unexpected shape")
        # ProspectID is the record's id, shown as such: not a second column beside it
        items = [i for i in body if isinstance(i, dict) and i.get("SchemaName") != ID_FIELD]
        return [field_from_metadata(item) for item in items]

    async def _read(self, method: str, path: str, **kwargs: Any) -> Any:
        return await self._call(method, path, op=OpKind.READ, **kwargs)

    # -- records --------------------------------------------------------------------------------
    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        """A page of leads with the total (unfiltered) or a search page (filtered)."""
        await self.entity(entity)
        limit = max(1, min(limit, self.max_page_size))
        query = search.translate(query)
        if entity == "opportunity":
            if not query.filters:  # listed by lead only: say so rather than fail
                return Page([], offset, None, None, notes=[OPPORTUNITY.note])
            found = await opportunities.of_lead(self._read, *lead_and_type(query))
            chunk = found[offset : offset + limit]
            end = offset + len(chunk)
            return Page(chunk, offset, end if end < len(found) else None, len(found))
        if query.filters:
            return await self._search(query, offset, limit)
        first = offset // limit
        indexes = [first] if offset % limit == 0 else [first, first + 1]
        rows: list[dict[str, Any]] = []
        total = 0
        for index in indexes:
            body = await self._read(
                "POST",
                "LeadManagement.svc/Leads.RecentlyModified",
                body=listing.all_time(query, index, limit),
            )
            total, page = listing.property_rows(body)
            rows += page
        skip = offset - first * limit
        records = await self._records(rows[skip : skip + limit])
        end = offset + len(records)
        return Page(records, offset, end if records and end < total else None, total)

    def filter_support(self, entity: str) -> FilterSupport:
        """One lookup or a quick search (see `search`)."""
        return search.support(entity)

    async def _search(self, query: Query, offset: int, limit: int) -> Page:
        if len(query.filters) > 1:
            raise UsageError("LeadSquared searches by one field at a time")
        flt = query.filters[0]
        quick = listing.is_quick(flt, LEAD.search_fields[0])
        if quick or (flt.field == "EmailAddress" and flt.op == "eq"):
            method = "Leads.GetByQuickSearch" if quick else "Leads.GetByEmailaddress"
            params = {"key": flt.value} if quick else {"emailaddress": flt.value}
            rows = await self._read("GET", f"LeadManagement.svc/{method}", params=params)
            rows = rows if isinstance(rows, list) else []
            records = await self._records(rows[offset : offset + limit])
            end = offset + len(records)
            return Page(records, offset, end if end < len(rows) else None, len(rows))
        if offset % limit:
            raise UsageError("LeadSquared search pages must start at a multiple of the page size")
        body = listing.criteria(query, flt, offset // limit, limit)
        rows = await self._read("POST", "LeadManagement.svc/Leads.Get", body=body)
        records = await self._records(rows if isinstance(rows, list) else [])
        full = len(records) == limit
        notes = ["LeadSquared gives no total for searches"]
        return Page(records, offset, offset + limit if full else None, None, notes)

    async def related(self, entity: str, record_id: str) -> list[Related]:
        """A lead's opportunities (GetOpportunitiesOfLead)."""
        if entity != "lead":
            return []
        found = await opportunities.of_lead(self._read, record_id)
        return [Related("Opportunities", "opportunity", tuple(found))]

    async def _records(self, rows: Sequence[Mapping[str, Any]]) -> list[Record]:
        """Leads with typed values for the known fields (system keys such as CanUpdate stay in
        `raw`); text typed in the web UI comes back HTML-encoded and is shown decoded."""
        by_name = {f.name: f for f in await self.fields("lead")}
        records = []
        for raw in rows:
            values = {
                k: parse_value(wire_value(v), by_name[k]) for k, v in raw.items() if k in by_name
            }
            records.append(Record("lead", str(raw.get("ProspectID") or ""), values, dict(raw)))
        return records

    async def get(self, entity: str, record_id: str) -> Record:
        """Leads.GetById (NotFound for an empty answer), or GetOpportunityDetails."""
        await self.entity(entity)
        if entity == "opportunity":
            return await opportunities.details(self._read, record_id)
        rows = await self._call(
            "GET", "LeadManagement.svc/Leads.GetById", op=OpKind.READ, params={"id": record_id}
        )
        if not isinstance(rows, list) or not rows:
            raise NotFound(f"lead {record_id} not found")
        return (await self._records(rows[:1]))[0]

    async def create(self, entity: str, values: Mapping[str, Any]) -> Record:
        """Lead.Create with the validated values; returns the lead as stored."""
        typed = (await self.validator(entity)).validate(values, creating=True)
        payload = attribute_list({k: v for k, v in typed.items() if v is not None})
        body = await self._call(
            "POST", "LeadManagement.svc/Lead.Create", op=OpKind.CREATE, body=payload
        )
        new_id = (body.get("Message") or {}).get("Id") if isinstance(body, dict) else None
        if not new_id:
            raise VendorError("LeadSquared created the lead but sent no Id")
        return await self.get(entity, str(new_id))

    async def update(self, entity: str, record_id: str, changes: Sequence[Change]) -> Record:
        """Lead.Update with only the changed fields."""
        typed = (await self.validator(entity)).validate(as_values(changes))
        await self._call(
            "POST",
            "LeadManagement.svc/Lead.Update",
            op=OpKind.IDEMPOTENT,
            params={"leadId": record_id},
            body=attribute_list(typed),
            what=f"lead {record_id}",
        )
        return await self.get(entity, record_id)
