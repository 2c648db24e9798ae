"""LeadSquared's lead searches: Leads.Get (criteria), Leads.GetByQuickSearch, RecentlyModified.

Choices where the public record is silent (apidocs "Search Leads by Criteria" lists the
operators =, IN, LIKE, >, <, <=, >=, <>):
- Comparisons ignore case, as the vendor's database collation does; Number fields compare as
  numbers, Date and DateTime fields as moments (a LookupValue that does not parse is
  MXInvalidInputException). `IN` takes comma-separated values; `LIKE` matches a substring,
  "%" wildcards ignored. An unknown LookupName is MXUnknownAttributeException.
- Columns.Include_CSV limits the keys (names trimmed, ProspectID always sent); names the
  account has no field for (such as LeadType where object types are off) are left out.
  Sorting.Direction "0" ascending, "1" descending; PageSize 1..5000.
- RecentlyModified: FromDate/ToDate bound ModifiedOn (inclusive); RecordCount counts every
  match; each lead's LeadPropertyList ends with `CanUpdate` (as the apidocs sample shows) and
  `Total` (the query total, as users report).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from crmtui.sandbox.leadsquared import schema
from crmtui.sandbox.leadsquared.leads import LsqData, MxError
from crmtui.sandbox.leadsquared.schema import FIELDS
from crmtui.sandbox.leadsquared.seed import LEAD, NS

MAX_PAGE_SIZE = 5000
QUICK_FIELDS = ("FirstName", "LastName", "EmailAddress", "Company", "Phone", "Mobile")
QUICK_LIMIT = 100
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # before any lead: a range from here is "all time"
OPERATORS = ("=", "in", "like", ">", "<", "<=", ">=", "<>")
Row = tuple[str, dict[str, Any]]


def _everything(data: LsqData, sort_by: str, descending: bool) -> list[Row]:
    total = data.store.count(NS, LEAD)
    return data.store.list(NS, LEAD, offset=0, limit=total, sort_by=sort_by, descending=descending)


def _key(field: schema.LsqField) -> Callable[[str], Any]:
    """How values of `field` compare (ValueError when one does not parse)."""
    if field.data_type == "Number":

        def number(text: str) -> Decimal:
            try:
                return Decimal(text.strip())
            except InvalidOperation:
                raise ValueError(text) from None

        return number
    if field.data_type in ("Date", "DateTime"):
        return lambda text: schema.parse_stamp(text if " " in text.strip() else f"{text} 00:00:00")
    return lambda text: text.strip().casefold()


def _matcher(name: str, op: str, value: str) -> Callable[[dict[str, Any]], bool]:
    field = FIELDS[name]
    if op == "like":
        needle = value.replace("%", "").casefold()
        return lambda lead: needle in str(lead.get(name) or "").casefold()
    key = _key(field)
    try:
        wanted = [key(v) for v in value.split(",") if v.strip()] if op == "in" else [key(value)]
    except ValueError:
        raise MxError("InvalidInput", f"'{value}' is not a valid value for {name}.") from None

    def holds(lead: dict[str, Any]) -> bool:
        raw = lead.get(name)
        if raw is None or raw == "":
            return op == "<>"
        try:
            have = key(str(raw))
        except ValueError:
            return False
        if op in ("=", "in"):
            return have in wanted
        target = wanted[0]
        return bool(
            {
                ">": have > target,
                "<": have < target,
                ">=": have >= target,
                "<=": have <= target,
                "<>": have != target,
            }[op]
        )

    return holds


def search(data: LsqData, body: Any) -> list[dict[str, Any]]:
    """Leads.Get: Parameter, Columns, Sorting, Paging; a bare array of leads."""
    if not isinstance(body, dict) or not isinstance(body.get("Parameter"), dict):
        raise MxError("InvalidInput", "Parameter is required.", 400)
    param = body["Parameter"]
    name, value = str(param.get("LookupName", "")).strip(), param.get("LookupValue")
    op = str(param.get("SqlOperator", "=")).strip().lower()
    if name not in FIELDS:
        raise MxError("UnknownAttribute", f"Unknown lookup field {name!r}.")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if op not in OPERATORS or not isinstance(value, str):
        raise MxError("InvalidInput", f"SqlOperator must be one of {', '.join(OPERATORS)}.")
    only = columns(body.get("Columns"))
    index, size = paging(body.get("Paging"))
    sort_by, descending = sorting(body.get("Sorting"), "ProspectID", False)
    start = (index - 1) * size
    if op == "=" and name in ("EmailAddress", "ProspectID"):
        # unique and stored lower-case: straight from the store's index
        rows = data.store.list(
            NS, LEAD, offset=start, limit=size, sort_by=sort_by, descending=descending,
            where={name: value.strip().lower()},
        )  # fmt: skip
    else:
        holds = _matcher(name, op, value)
        matches = [r for r in _everything(data, sort_by, descending) if holds(r[1])]
        rows = matches[start : start + size]
    return [data.flat(lead, only) for _, lead in rows]


def quick_search(data: LsqData, key: str) -> list[dict[str, Any]]:
    """Leads.GetByQuickSearch: leads whose name, email, company or phone holds `key`."""
    needle = key.strip().casefold()
    if not needle:
        return []
    found: list[dict[str, Any]] = []
    total = data.store.count(NS, LEAD)
    for _, lead in data.store.list(NS, LEAD, offset=0, limit=total):
        if any(needle in str(lead.get(n) or "").casefold() for n in QUICK_FIELDS):
            found.append(data.flat(lead))
            if len(found) >= QUICK_LIMIT:
                break
    return found


def recently_modified(data: LsqData, body: Any) -> dict[str, Any]:
    """Leads.RecentlyModified: RecordCount and the page as LeadPropertyList entries."""
    if not isinstance(body, dict) or not isinstance(body.get("Parameter"), dict):
        raise MxError("InvalidInput", "Parameter with FromDate and ToDate is required.", 400)
    try:
        low = schema.parse_stamp(str(body["Parameter"].get("FromDate", "")))
        high = schema.parse_stamp(str(body["Parameter"].get("ToDate", "")))
    except ValueError:
        raise MxError("InvalidInput", "FromDate and ToDate must be yyyy-mm-dd hh:mm:ss.") from None
    only = columns(body.get("Columns"))
    index, size = paging(body.get("Paging"))
    sort_by, descending = sorting(body.get("Sorting"), "ModifiedOn", True)
    if low <= EARLIEST and high.timestamp() >= data.clock():
        # the whole history: page in the store rather than scanning every lead
        count = data.store.count(NS, LEAD)
        page = data.store.list(
            NS, LEAD, offset=(index - 1) * size, limit=size,
            sort_by=sort_by, descending=descending,
        )  # fmt: skip
    else:
        every = _everything(data, sort_by, descending)
        inside = [r for r in every if low <= _modified(r[1]) <= high]
        count, page = len(inside), inside[(index - 1) * size : index * size]
    leads = []
    for _, lead in page:
        pairs = [{"Attribute": k, "Value": v} for k, v in data.flat(lead, only).items()]
        pairs.append({"Attribute": "CanUpdate", "Value": "true"})
        pairs.append({"Attribute": "Total", "Value": str(count)})
        leads.append({"LeadPropertyList": pairs})
    return {"RecordCount": count, "Leads": leads}


def _modified(lead: dict[str, Any]) -> datetime:
    try:
        return schema.parse_stamp(str(lead.get("ModifiedOn") or ""))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def columns(given: Any) -> list[str] | None:
    """The Include_CSV names the account knows (ProspectID first), or None for every field."""
    if not isinstance(given, dict) or not str(given.get("Include_CSV") or "").strip():
        return None
    names = [n.strip() for n in str(given["Include_CSV"]).split(",") if n.strip()]
    return list(dict.fromkeys(["ProspectID", *(n for n in names if n in FIELDS)]))


def paging(given: Any) -> tuple[int, int]:
    """(PageIndex, PageSize) from a Paging object (defaults 1 and 100)."""
    if given is None:
        return 1, 100
    if not isinstance(given, dict):
        raise MxError("InvalidInput", "Paging must be an object.", 400)
    try:
        index, size = int(str(given.get("PageIndex", 1))), int(str(given.get("PageSize", 100)))
    except ValueError:
        raise MxError("InvalidInput", "PageIndex and PageSize must be numbers.") from None
    if index < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise MxError("InvalidInput", f"PageIndex >= 1 and PageSize 1..{MAX_PAGE_SIZE}.")
    return index, size


def sorting(given: Any, default: str, descending: bool) -> tuple[str, bool]:
    """(column, descending) from a Sorting object."""
    if not isinstance(given, dict) or not given.get("ColumnName"):
        return default, descending
    column = str(given["ColumnName"]).strip()
    if column not in FIELDS:
        raise MxError("UnknownAttribute", f"Cannot sort by {column}.")
    return column, str(given.get("Direction", "0")).strip() == "1"
