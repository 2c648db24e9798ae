"""What LeadSquared's lead search can filter (`Leads.Get`, one lookup) and its wire form."""

from __future__ import annotations

from typing import Any

from crmtui.backends.leadsquared.fields import SEARCH_FIELDS
from crmtui.errors import UsageError
from crmtui.model import Query
from crmtui.model.filter import FilterSupport
from crmtui.model.queries import Op

# Leads.GetByQuickSearch (names, email, phone, company) is declared once the emulator and the
# backend carry it; until then free text is matched locally.
QUICK_SEARCH = False


def support(entity: str) -> FilterSupport:
    """One lookup at a time: exact (`=`) or contains (`like`) on the searchable fields."""
    ops: frozenset[Op] = frozenset({"eq", "contains"})
    return FilterSupport({name: ops for name in SEARCH_FIELDS}, 1, free_text=QUICK_SEARCH)


def sorting(query: Query) -> dict[str, str]:
    """The `Sorting` object: the query's sort, else ProspectID ascending (a stable order)."""
    if query.sort is None:
        return {"ColumnName": "ProspectID", "Direction": "0"}
    return {"ColumnName": query.sort.field, "Direction": "1" if query.sort.descending else "0"}


def lookup_body(query: Query, offset: int, limit: int) -> dict[str, Any]:
    """The `Leads.Get` body for the query's one condition."""
    if len(query.filters) != 1:
        raise UsageError("LeadSquared searches by one field at a time")
    if offset % limit:
        raise UsageError("LeadSquared search pages must start at a multiple of the page size")
    flt = query.filters[0]
    if flt.op not in ("eq", "contains"):
        raise UsageError(f"LeadSquared cannot compare {flt.field} with < or > on the server")
    value, op = (flt.value, "=") if flt.op == "eq" else (f"%{flt.value}%", "like")
    body: dict[str, Any] = {
        "Parameter": {"LookupName": flt.field, "LookupValue": value, "SqlOperator": op},
        "Sorting": sorting(query),
        "Paging": {"PageIndex": offset // limit + 1, "PageSize": limit},
    }
    if query.fields:
        body["Columns"] = {"Include_CSV": ",".join(query.fields)}
    return body


def quick_search_params(query: Query) -> dict[str, str]:
    """`Leads.GetByQuickSearch` parameters for the query's free text."""
    return {"key": query.text.strip()}
