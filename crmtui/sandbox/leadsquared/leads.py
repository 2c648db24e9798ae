"""LeadSquared lead operations on the store, in the vendor's wire format.

Choices where the public record is silent (see also schema, search, opportunities):
- Attribute arrays: every item must be {"Attribute": str, "Value": str|number|null}; an unknown
  attribute is MXUnknownAttributeException, a read-only one or a bad value
  MXInvalidInputException, a missing EmailAddress on create MXMandatoryAttributeMissingException,
  an email already in use MXDuplicateEntryException.
- Lead.Capture / CreateOrUpdate search by EmailAddress when no SearchBy attribute is sent (public
  clients send none); a duplicate email is "Duplicate entry '<email>' for key
  'UQ_Prospect_Base_EmailAddress'" as a public client's fixture shows.
- Reads (GetById, GetByEmailaddress, quick search, Leads.Get without Columns) send every field
  plus the system keys the apidocs GetByEmailaddress sample shows (`SYSTEM_KEYS`).
- Web UI values: text typed into the vendor's web UI is stored HTML-encoded (`&amp;`, `&lt;`,
  `&quot;`), as users report of the vendor family (see seed); values written through the API are
  stored as sent, never encoded.
- Visitors: website visitors (entity "visitor") hold only a ProspectID until Lead.Convert.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from crmtui.sandbox.leadsquared import schema
from crmtui.sandbox.leadsquared.schema import FIELDS, InvalidValue
from crmtui.sandbox.leadsquared.seed import LEAD, NS, VISITOR
from crmtui.sandbox.store import Store

# Keys every full lead read carries besides the fields (apidocs Leads.GetByEmailaddress sample).
SYSTEM_KEYS: dict[str, str | None] = {
    "Origin": None,
    "TimeZone": None,
    "SourceMedium": None,
    "SourceCampaign": None,
    "SourceContent": None,
    "EngagementScore": "0",
    "TotalVisits": "0",
    "PageViewsPerVisit": "0",
    "AvgTimePerVisit": "0",
    "RelatedProspectId": None,
    "ProspectActivityId_Min": None,
    "ProspectActivityId_Max": None,
    "ProspectActivityDate_Min": None,
    "ProspectActivityDate_Max": None,
    "SourceReferrer": None,
}


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
        """A lead as a flat object: every field and system key (or those in `only`)."""
        if only is not None:
            return {name: data.get(name) for name in only}
        flat = {name: data.get(name) for name in FIELDS}
        flat.update({k: data.get(k, v) for k, v in SYSTEM_KEYS.items()})
        return flat

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
                raise MxError(
                    "DuplicateEntry",
                    f"Duplicate entry '{email}' for key 'UQ_Prospect_Base_EmailAddress'",
                )

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

    def capture(self, given: dict[str, Any], behaviour: str = "") -> tuple[str, bool]:
        """Lead.Capture / CreateOrUpdate by SearchBy: (ProspectID, created?).

        `behaviour` is the LeadUpdateBehavior query value: DoNotUpdate, UpdateOnlyEmptyFields or
        DoNotUpdateUniqueFields (apidocs capture-lead); anything else updates every given field.
        """
        wanted = str(given.get("SearchBy") or "EmailAddress")  # public clients often omit it
        # users report the live service wants "ProspectId" for the ProspectID attribute
        search_by = next((n for n in schema.SEARCH_BY if n.lower() == wanted.lower()), None)
        if search_by is None:
            raise MxError("InvalidInput", "Invalid SearchBy value provided")
        key = given.get(search_by)
        if not isinstance(key, str) or not key.strip():
            raise MxError("MandatoryAttributeMissing", f"A value for {search_by} is required.")
        rest = {k: v for k, v in given.items() if k != "SearchBy"}
        if search_by == "ProspectID":
            found = self.store.get(NS, LEAD, key.strip().lower())
            if found is None:
                raise MxError("InvalidEntity", "Lead does not exist in the system")
            hit: tuple[str, dict[str, Any]] | None = (key.strip().lower(), found)
            rest.pop("ProspectID", None)
        else:
            hit = self.find(search_by, key.strip())
        if hit is None:
            return self.create(rest), True
        lead_id, current = hit
        mode = behaviour.strip().lower()
        if mode == "donotupdate":
            return lead_id, False
        if mode == "updateonlyemptyfields":
            rest = {k: v for k, v in rest.items() if current.get(k) in (None, "")}
        elif mode == "donotupdateuniquefields":
            rest = {k: v for k, v in rest.items() if not (FIELDS.get(k) and FIELDS[k].unique)}
        if rest:
            self.update(lead_id, rest)
        return lead_id, False

    def convert(self, visitor_id: str, given: dict[str, Any]) -> int:
        """Lead.Convert: the visitor becomes a lead with `given` (an existing lead is updated)."""
        vid = visitor_id.strip().lower()
        if self.store.get(NS, LEAD, vid) is not None:
            return self.update(vid, given)
        visitor = self.store.get(NS, VISITOR, vid)
        if visitor is None:
            raise MxError("InvalidEntity", "Lead does not exist in the system")
        values = self._values(given)
        if not values.get("EmailAddress"):
            raise MxError("MandatoryAttributeMissing", "Required field EmailAddress is missing.")
        self._check_unique(values, None)
        now = schema.stamp(self.clock())
        record = {k: v for k, v in values.items() if v is not None}
        number = self.store.count(NS, LEAD) + 1
        record.update(ProspectID=vid, ProspectAutoId=str(number), ModifiedOn=now)
        record["CreatedOn"] = str(visitor.get("CreatedOn") or now)
        record.setdefault("ProspectStage", "Prospect")
        record.setdefault("Score", "0")
        self.store.insert(NS, LEAD, record, vid)
        self.store.delete(NS, VISITOR, vid)
        return 1
