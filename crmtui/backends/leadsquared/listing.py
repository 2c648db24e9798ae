"""LeadSquared's list and search request bodies, and the rows out of their answers.

A plain list is Leads.RecentlyModified over all time (it alone carries `RecordCount`). A search
by email is Leads.GetByEmailaddress; a search of the first search field (email) by a word that
is not an address is the quick search (Leads.GetByQuickSearch?key=, which looks in names,
email, company and phones); any other is Leads.Get with LookupName/LookupValue/SqlOperator
("=" for equals, "LIKE" with % around the value for contains).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crmtui.backends.leadsquared.wire import as_int
from crmtui.model import Filter, Query

# Keys Leads.RecentlyModified adds to each lead that are not lead fields.
NOT_FIELDS = frozenset({"CanUpdate", "Total"})


def sorting(query: Query) -> dict[str, str]:
    """The Sorting object: the user's sort, else ProspectID (a unique key: stable pages)."""
    if query.sort:
        return {"ColumnName": query.sort.field, "Direction": "1" if query.sort.descending else "0"}
    return {"ColumnName": "ProspectID", "Direction": "0"}


def all_time(query: Query, index: int, size: int) -> dict[str, Any]:
    """A Leads.RecentlyModified body for page `index` (0-based) over every lead."""
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    return {
        "Parameter": {
            "FromDate": "1970-01-01 00:00:00",
            "ToDate": tomorrow.strftime("%Y-%m-%d %H:%M:%S"),
        },
        "Paging": {"PageIndex": index + 1, "PageSize": size},
        "Sorting": sorting(query),
    }


def property_rows(body: Any) -> tuple[int, list[dict[str, Any]]]:
    """(RecordCount, leads as flat dicts) from a RecentlyModified answer."""
    if not isinstance(body, dict):
        return 0, []
    rows = []
    for lead in body.get("Leads") or []:
        pairs = (lead.get("LeadPropertyList") if isinstance(lead, dict) else None) or []
        rows.append(
            {
                str(p.get("Attribute")): p.get("Value")
                for p in pairs
                if isinstance(p, dict) and p.get("Attribute") not in NOT_FIELDS
            }
        )
    return as_int(body.get("RecordCount")), rows


def is_quick(flt: Filter, first_field: str) -> bool:
    """Whether a search is the quick search: the first search field, a word, not an address."""
    return flt.field == first_field and flt.op == "eq" and "@" not in flt.value


def criteria(query: Query, flt: Filter, index: int, size: int) -> dict[str, Any]:
    """A Leads.Get body for page `index` (0-based)."""
    value, op = (flt.value, "=") if flt.op == "eq" else (f"%{flt.value}%", "LIKE")
    body: dict[str, Any] = {
        "Parameter": {"LookupName": flt.field, "LookupValue": value, "SqlOperator": op},
        "Sorting": sorting(query),
        "Paging": {"PageIndex": index + 1, "PageSize": size},
    }
    if query.fields:
        # the id must come back whatever the user picked (the vendor sends only what is named)
        body["Columns"] = {"Include_CSV": ",".join(dict.fromkeys(["ProspectID", *query.fields]))}
    return body
