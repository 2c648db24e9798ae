"""What LeadSquared's lead searches filter on the server, and free text as its quick search.

One condition at a time: Leads.Get with LookupName/LookupValue/SqlOperator (`=` or `LIKE`) on
the searchable fields, Leads.GetByEmailaddress for an address; free text goes to
Leads.GetByQuickSearch (names, email, company, phones), which `listing.is_quick` recognises as
a word searched on the first search field. What comes back is checked against the whole filter.
"""

from __future__ import annotations

from dataclasses import replace

from crmtui.backends.leadsquared.fields import SEARCH_FIELDS
from crmtui.model import Filter, Query
from crmtui.model.filter import FilterSupport
from crmtui.model.queries import Op


def support(entity: str) -> FilterSupport:
    """One lookup on a searchable lead field, or a quick search; opportunities by lead."""
    if entity == "opportunity":  # a lead's opportunities, of one type if named
        eq: frozenset[Op] = frozenset({"eq"})
        return FilterSupport({"RelatedProspectId": eq, "OpportunityEventCode": eq}, 2)
    if entity != "lead":
        return FilterSupport()
    ops: frozenset[Op] = frozenset({"eq", "contains"})
    return FilterSupport({name: ops for name in SEARCH_FIELDS}, 1, free_text=True)


def translate(query: Query) -> Query:
    """Free text as the quick search's pseudo-filter (a word on the first search field)."""
    if not query.text or query.filters:
        return query
    return replace(query, filters=(Filter(SEARCH_FIELDS[0], query.text.strip()),), text="")
