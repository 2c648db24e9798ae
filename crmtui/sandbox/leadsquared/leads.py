"""LeadSquared lead and opportunity operations on the store, in the vendor's wire format.

Choices where the public record is silent (see also `schema` and `app`):
- Attribute arrays: every item must be {"Attribute": str, "Value": str|number|null}; an unknown
  attribute is MXUnknownAttributeException, a read-only one or a bad value
  MXInvalidInputException, a missing EmailAddress on create MXMandatoryAttributeMissingException,
  an email already in use MXDuplicateEntryException.
- Leads.Get: Parameter is required; SqlOperator "=" (exact; case-insensitive for EmailAddress) or
  "like" (substring, case-insensitive, "%" wildcards ignored). Columns.Include_CSV limits the keys
  (ProspectID is always sent). Sorting.Direction "0" ascending, "1" descending; the default
  order is ProspectID ascending. PageSize 1..5000. Like every read it answers a bare array.
- Leads.RecentlyModified: FromDate/ToDate "yyyy-mm-dd hh:mm:ss" bound ModifiedOn (inclusive);
  RecordCount counts every match. The default sort is ModifiedOn descending, ties by age.
- Opportunity capture: LeadDetails must hold SearchBy (EmailAddress, Phone or ProspectID) and a
  value for that field; the lead is updated with the other details or created. The event code
  must be a known opportunity type (schema.OPPORTUNITY_TYPES), the date yyyy-mm-dd hh:mm:ss
  (default: now), Fields must belong to that type. The answer's Message is
  {"Id": opportunity id, "RelatedProspectId": lead id, "IsCreated": lead created?}.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from crmtui.sandbox.leadsquared import schema
from crmtui.sandbox.leadsquared.schema import FIELDS, InvalidValue
from crmtui.sandbox.leadsquared.seed import LEAD, NS
from crmtui.sandbox.store import Store

OPPORTUNITY = "opportunity"
MAX_PAGE_SIZE = 5000
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # before any lead: a range from here is "all time"


class MxError(Exception):
    """An MX error answer: {"Status": "Error", "ExceptionType": ..., "ExceptionMessage": ...}."""

    def __init__(self, kind: str, message: str, status: int = 500) -> None:
        """Describe the error; `kind` without the "MX" prefix and "Exception" suffix."""
        super().__init__(message)
        self.kind = f"MX{kind}Exception"
        self.message = message
        self.status = status

    def body(self) -> dict[str, Any]:
        """The JSON error body."""
        return {"Status": "Error", "ExceptionType": self.kind, "ExceptionMessage": self.message}


def attributes(body: Any) -> dict[str, Any]:
    """An attribute array as a dict; 400 when it is not one."""
    if not isinstance(body, list):
        raise MxError("InvalidInput", "Expected an array of Attribute/Value pairs.", 400)
    out: dict[str, Any] = {}
    for item in body:
        if not isinstance(item, dict) or not isinstance(item.get("Attribute"), str):
            raise MxError("InvalidInput", "Each item needs an Attribute and a Value.", 400)
        out[item["Attribute"]] = item.get("Value")
    return out


class LsqData:
    """The emulated LeadSquared account."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        """Serve the LeadSquared namespace of `store`, stamping times from `clock`."""
        self.store = store
        self.clock = clock

    # -- reads ----------------------------------------------------------------------------------
    @staticmethod
    def flat(data: dict[str, Any], only: list[str] | None = None) -> dict[str, Any]:
        """A lead as a flat object: every field (or those in `only`), null when empty."""
        names = only if only is not None else list(FIELDS)
        return {name: data.get(name) for name in names}

    def by_id(self, lead_id: str) -> list[dict[str, Any]]:
        """Leads.GetById: a list of one, or []."""
        data = self.store.get(NS, LEAD, lead_id.strip().lower())
        return [] if data is None else [self.flat(data)]

    def find(self, name: str, value: str) -> tuple[str, dict[str, Any]] | None:
        """The lead whose `name` equals `value` (emails case-insensitively), if any."""
        if name == "EmailAddress":
            value = value.strip().lower()
        rows = self.store.list(NS, LEAD, offset=0, limit=1, where={name: value})
        return rows[0] if rows else None

    def by_email(self, email: str) -> list[dict[str, Any]]:
        """Leads.GetByEmailaddress."""
        found = self.find("EmailAddress", email)
        return [] if found is None else [self.flat(found[1])]

    def search(self, body: Any) -> list[dict[str, Any]]:
        """Leads.Get: Parameter, Columns, Sorting, Paging."""
        if not isinstance(body, dict) or not isinstance(body.get("Parameter"), dict):
            raise MxError("InvalidInput", "Parameter is required.", 400)
        param = body["Parameter"]
        name, value = str(param.get("LookupName", "")), param.get("LookupValue")
        op = str(param.get("SqlOperator", "=")).strip().lower()
        if name not in FIELDS:
            raise MxError("UnknownAttribute", f"Unknown lookup field {name!r}.")
        if op not in ("=", "like") or not isinstance(value, str):
            raise MxError("InvalidInput", "SqlOperator must be = or like, with a string value.")
        only = _columns(body.get("Columns"))
        index, size = _paging(body.get("Paging"))
        sort_by, descending = _sorting(body.get("Sorting"), "ProspectID", False)
        if op == "=":
            if name == "EmailAddress":
                value = value.strip().lower()
            rows = self.store.list(
                NS, LEAD, offset=(index - 1) * size, limit=size,
                sort_by=sort_by, descending=descending, where={name: value},
            )  # fmt: skip
        else:
            needle = value.replace("%", "").lower()
            every = self._all(sort_by, descending)
            matches = [r for r in every if needle in str(r[1].get(name) or "").lower()]
            rows = matches[(index - 1) * size : index * size]
        return [self.flat(data, only) for _, data in rows]

    def _all(self, sort_by: str, descending: bool) -> list[tuple[str, dict[str, Any]]]:
        total = self.store.count(NS, LEAD)
        return self.store.list(
            NS, LEAD, offset=0, limit=total, sort_by=sort_by, descending=descending
        )

    def recently_modified(self, body: Any) -> dict[str, Any]:
        """Leads.RecentlyModified: RecordCount and the page as LeadPropertyList entries."""
        if not isinstance(body, dict) or not isinstance(body.get("Parameter"), dict):
            raise MxError("InvalidInput", "Parameter with FromDate and ToDate is required.", 400)
        try:
            low = schema.parse_stamp(str(body["Parameter"].get("FromDate", "")))
            high = schema.parse_stamp(str(body["Parameter"].get("ToDate", "")))
        except ValueError:
            raise MxError(
                "InvalidInput", "FromDate and ToDate must be yyyy-mm-dd hh:mm:ss."
            ) from None
        index, size = _paging(body.get("Paging"))
        sort_by, descending = _sorting(body.get("Sorting"), "ModifiedOn", True)
        if low <= EARLIEST and high.timestamp() >= self.clock():
            # the whole history: page in the store rather than scanning every lead
            count = self.store.count(NS, LEAD)
            page = self.store.list(
                NS, LEAD, offset=(index - 1) * size, limit=size,
                sort_by=sort_by, descending=descending,
            )  # fmt: skip
        else:
            every = self._all(sort_by, descending)
            inside = [r for r in every if low <= _modified(r[1]) <= high]
            count, page = len(inside), inside[(index - 1) * size : index * size]
        leads = [
            {"LeadPropertyList": [{"Attribute": k, "Value": v} for k, v in self.flat(d).items()]}
            for _, d in page
        ]
        return {"RecordCount": count, "Leads": leads}

    # -- writes ---------------------------------------------------------------------------------
    def _values(self, given: dict[str, Any], *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in given.items():
            if name in skip:
                continue
            f = FIELDS.get(name)
            if f is None:
                raise MxError("UnknownAttribute", f"Attribute {name} does not exist.")
            if f.read_only:
                raise MxError("InvalidInput", f"{name} cannot be written.")
            try:
                out[name] = schema.to_stored(f, value)
            except InvalidValue as exc:
                raise MxError("InvalidInput", str(exc)) from None
        return out

    def _check_unique(self, values: dict[str, Any], lead_id: str | None) -> None:
        email = values.get("EmailAddress")
        if email:
            found = self.find("EmailAddress", email)
            if found is not None and found[0] != lead_id:
                raise MxError("DuplicateEntry", "A Lead with same Email already exists.")

    def create(self, given: dict[str, Any]) -> str:
        """Lead.Create: the new ProspectID."""
        values = self._values(given)
        if not values.get("EmailAddress"):
            raise MxError("MandatoryAttributeMissing", "Required field EmailAddress is missing.")
        self._check_unique(values, None)
        now = schema.stamp(self.clock())
        pid = str(uuid.uuid4())
        number = self.store.count(NS, LEAD) + 1
        record = {k: v for k, v in values.items() if v is not None}
        record.update(ProspectID=pid, ProspectAutoId=str(number), CreatedOn=now, ModifiedOn=now)
        record.setdefault("ProspectStage", "Prospect")
        record.setdefault("Score", "0")
        self.store.insert(NS, LEAD, record, pid)
        return pid

    def update(self, lead_id: str, given: dict[str, Any]) -> int:
        """Lead.Update: AffectedRows."""
        lead_id = lead_id.strip().lower()
        if self.store.get(NS, LEAD, lead_id) is None:
            raise MxError("InvalidEntity", "Lead does not exist in the system")
        values = self._values(given)
        if values.get("EmailAddress") is None and "EmailAddress" in values:
            raise MxError("MandatoryAttributeMissing", "EmailAddress cannot be emptied.")
        self._check_unique(values, lead_id)
        values["ModifiedOn"] = schema.stamp(self.clock())
        self.store.update(NS, LEAD, lead_id, values)
        return 1

    def capture(self, given: dict[str, Any]) -> tuple[str, bool]:
        """Lead.Capture / CreateOrUpdate by SearchBy: (ProspectID, created?)."""
        search_by = given.get("SearchBy")
        if not search_by:
            raise MxError("MandatoryAttributeMissing", "SearchBy attribute is missing.")
        if search_by not in schema.SEARCH_BY:
            raise MxError("InvalidInput", f"Cannot search by {search_by}.")
        key = given.get(search_by)
        if not isinstance(key, str) or not key.strip():
            raise MxError("MandatoryAttributeMissing", f"A value for {search_by} is required.")
        if search_by == "ProspectID":
            found = self.store.get(NS, LEAD, key.strip().lower())
            if found is None:
                raise MxError("InvalidEntity", "Lead does not exist in the system")
            self.update(key, {k: v for k, v in given.items() if k not in ("SearchBy", search_by)})
            return key.strip().lower(), False
        hit = self.find(search_by, key.strip())
        rest = {k: v for k, v in given.items() if k != "SearchBy"}
        if hit is None:
            return self.create(rest), True
        self.update(hit[0], rest)
        return hit[0], False

    def capture_opportunity(self, body: Any) -> dict[str, Any]:
        """OpportunityManagement.svc/Capture: the synchronous success answer."""
        if not isinstance(body, dict):
            raise MxError("InvalidInput", "Expected LeadDetails and Opportunity.", 400)
        details = attributes(body.get("LeadDetails"))
        opp = body.get("Opportunity")
        if not isinstance(opp, dict):
            raise MxError("MandatoryAttributeMissing", "Opportunity is missing.")
        code = opp.get("OpportunityEventCode")
        try:
            event = int(str(code))
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
            when = datetime.fromtimestamp(self.clock(), UTC).strftime("%Y-%m-%d %H:%M:%S")
        fields = _opportunity_fields(opp.get("Fields"), type_fields)
        lead_id, created = self.capture(details)
        oid = str(uuid.uuid4())
        record = {
            "OpportunityId": oid,
            "RelatedProspectId": lead_id,
            "OpportunityEventCode": str(event),
            "OpportunityType": type_name,
            "OpportunityNote": str(opp.get("OpportunityNote") or ""),
            "OpportunityDateTime": when,
            "CreatedOn": schema.stamp(self.clock()),
            **fields,
        }
        self.store.insert(NS, OPPORTUNITY, record, oid)
        return {
            "Status": "Success",
            "Message": {"Id": oid, "RelatedProspectId": lead_id, "IsCreated": created},
        }


def _opportunity_fields(raw: Any, allowed: dict[str, str]) -> dict[str, str]:
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
            f = schema.LsqField(name, name, "Number")
            try:
                schema.to_stored(f, value)
            except InvalidValue as exc:
                raise MxError("InvalidActivityFields", str(exc)) from None
        out[name] = value
    return out


def _modified(data: dict[str, Any]) -> datetime:
    try:
        return schema.parse_stamp(str(data.get("ModifiedOn") or ""))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _columns(columns: Any) -> list[str] | None:
    if not isinstance(columns, dict) or not str(columns.get("Include_CSV") or "").strip():
        return None
    names = [n.strip() for n in str(columns["Include_CSV"]).split(",") if n.strip()]
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise MxError("UnknownAttribute", f"Unknown column(s): {', '.join(unknown)}.")
    return list(dict.fromkeys(["ProspectID", *names]))


def _paging(paging: Any) -> tuple[int, int]:
    if paging is None:
        return 1, 100
    if not isinstance(paging, dict):
        raise MxError("InvalidInput", "Paging must be an object.", 400)
    try:
        index, size = int(str(paging.get("PageIndex", 1))), int(str(paging.get("PageSize", 100)))
    except ValueError:
        raise MxError("InvalidInput", "PageIndex and PageSize must be numbers.") from None
    if index < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise MxError("InvalidInput", f"PageIndex >= 1 and PageSize 1..{MAX_PAGE_SIZE}.")
    return index, size


def _sorting(sorting: Any, default: str, descending: bool) -> tuple[str, bool]:
    if not isinstance(sorting, dict) or not sorting.get("ColumnName"):
        return default, descending
    column = str(sorting["ColumnName"])
    if column not in FIELDS:
        raise MxError("UnknownAttribute", f"Cannot sort by {column}.")
    return column, str(sorting.get("Direction", "0")).strip() == "1"
