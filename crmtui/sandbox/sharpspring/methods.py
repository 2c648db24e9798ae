"""SharpSpring's API methods over the store, in the vendor's wire format (no HTTP, no auth here).

Choices where the public record is silent (see also `app`, `schema` and `view`):
- `where` is required (it may be `{}`) on every get-many method; a missing one is 206. Each
  method accepts the keys docs/vendors/sharpspring.md lists (accounts/campaigns: id, ownerID;
  fields: also relationship); any other key is 205. A where value must be a string or a number.
- getLeads without a where key returns active leads only; with `id` or `emailAddress` (compared
  case-insensitively) it returns the lead whatever its `active` flag. Inactive leads are kept
  in a store entity of their own ("inactiveLead"), so paging active leads stays fast; a lead
  whose `active` changes moves between the two (and so to the end of the paging order).
  `fields`, a list of names, selects the keys returned (id always).
- DateRange methods return objects whose "create"/"update" timestamp lies in
  [startDate, endDate], newest first; both dates are read in the version's zone.
- Object-level errors: 301 duplicate email, 302 an update that changes nothing, 404 unknown id
  (updateLeads alone silently accepts an unknown id, updateLeadsV2 reports it), 303 a reference
  to an object that does not exist, and 205 for invalid values with
  `"data": {"params": [{"param": NAME, "message": WHY}]}` (the API-level 205 detail shape).
  The top-level `error` of a write is `[]` or the list of the failing objects' errors.
- New ids are random 9-digit numbers; creates answer them as JSON numbers, reads as strings.
- getLead of an unknown id answers a "ghost" (rmuit): `leadStatus: "open"`, the custom fields
  empty, no id. Other get{Object} methods answer `[]` (the record is silent on them).
- Values are stored as written (the seed stores some as the web UI does, HTML-encoded); reads
  show `<` as `&lt;` unless it ends the value (rmuit `encoding.md`). Writes live in `writes`,
  events and list membership in `activity`.
"""

from __future__ import annotations

from typing import Any

from crmtui.sandbox.sharpspring import writes
from crmtui.sandbox.sharpspring.errors import ApiError, bad_param, int_param, missing
from crmtui.sandbox.sharpspring.schema import NS
from crmtui.sandbox.sharpspring.view import SsView, api_text
from crmtui.sandbox.sharpspring.writes import LEAD_STORES, write_error

MAX_LIMIT = 500
WHERE_KEYS = {
    "lead": ("id", "emailAddress"),
    "account": ("id", "ownerID"),
    "campaign": ("id", "ownerID"),
    "opportunity": ("id", "ownerID", "dealStageID", "accountID", "campaignID"),
    "dealStage": ("id",),
    "userProfile": ("id", "firstName", "lastName", "displayName", "emailAddress", "isActive"),
    "activeList": ("id",),
    "field": ("id", "isCustom", "label", "systemName", "relationship"),
}
RESULT_KEYS = {
    "lead": "lead",
    "account": "account",
    "campaign": "campaign",
    "opportunity": "opportunity",
    "dealStage": "dealStage",
    "userProfile": "userProfile",
    "activeList": "activeList",
    "field": "field",
}
PLURALS = {
    "lead": "Leads",
    "account": "Accounts",
    "campaign": "Campaigns",
    "opportunity": "Opportunities",
}
SINGULARS = {
    "lead": "Lead",
    "account": "Account",
    "campaign": "Campaign",
    "opportunity": "Opportunity",
}


__all__ = ["ApiError", "SsData", "api_text", "bad_param", "int_param", "missing", "write_error"]


class SsData(SsView):
    """The emulated SharpSpring company: its objects as one API version shows them."""

    # -- reads ----------------------------------------------------------------------------------
    def _where(self, entity: str, params: dict[str, Any]) -> dict[str, str] | None:
        if "where" not in params:
            raise missing("where")
        where = params["where"]
        if where in ([], None):
            where = {}
        if not isinstance(where, dict):
            raise bad_param("where", "Expected an object", "object")
        out: dict[str, str] = {}
        for key, value in where.items():
            if key not in WHERE_KEYS[entity]:
                raise bad_param(f"where.{key}", "Unknown where key", "string")
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise bad_param(f"where.{key}", "Expected a string or a number", "string")
            if key == "emailAddress":
                out["_email"] = str(value).strip().lower()
            else:
                out[key] = str(value).strip()
        return out

    def page(self, params: dict[str, Any]) -> tuple[int, int]:
        limit = min(int_param(params, "limit", MAX_LIMIT), MAX_LIMIT)
        return int_param(params, "offset", 0), limit

    def get_many(self, entity: str, params: dict[str, Any]) -> dict[str, Any]:
        """get{Objects}: `where`, `limit` (500 at most, more is capped), `offset`."""
        where = self._where(entity, params)
        offset, limit = self.page(params)
        only = params.get("fields")
        if only is not None and not (
            isinstance(only, list) and all(isinstance(n, str) for n in only)
        ):
            raise bad_param("fields", "Expected a list of field names", "array")
        if entity == "lead" and where:
            rows = [row for name in LEAD_STORES for row in self._rows(name, where)]
            rows = rows[offset : offset + limit]
        else:
            rows = self.store.list(NS, entity, offset=offset, limit=limit, where=where or None)
        custom = self.custom_names(entity) if entity in PLURALS else []
        return {RESULT_KEYS[entity]: [self.wire(entity, d, custom, only) for _, d in rows]}

    def _rows(self, name: str, where: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
        return self.store.list(NS, name, offset=0, limit=10_000, where=where)

    def load(self, entity: str, rid: str) -> tuple[str, dict[str, Any]] | None:
        """(store entity, data) of an object, looking at inactive leads too."""
        for name in self.stores(entity):
            data = self.store.get(NS, name, rid)
            if data is not None:
                return name, data
        return None

    def get_one(self, entity: str, params: dict[str, Any]) -> dict[str, Any]:
        """get{Object}: `{id}`; a list of one, or `[]` when there is no such object."""
        rid = int_param(params, "id")
        found_row = self.load(entity, str(rid))
        data = None if found_row is None else found_row[1]
        custom = self.custom_names(entity)
        found = [] if data is None else [self.wire(entity, data, custom)]
        if data is None and entity == "lead":
            found = [{"leadStatus": "open", **dict.fromkeys(custom, "")}]
        return {RESULT_KEYS[entity]: found}

    def date_range(self, entity: str, params: dict[str, Any]) -> dict[str, Any]:
        """get{Objects}DateRange: `startDate`, `endDate`, `timestamp` create|update, paging."""
        for name in ("startDate", "endDate", "timestamp"):
            if name not in params:
                raise missing(name)
        start = self.read_stamp("startDate", params["startDate"])
        end = self.read_stamp("endDate", params["endDate"])
        kind = params["timestamp"]
        if kind not in ("create", "update"):
            raise bad_param("timestamp", 'Expected "create" or "update"', "string")
        offset, limit = self.page(params)
        field = f"{kind}Timestamp"
        found: list[dict[str, Any]] = []
        for name in self.stores(entity):
            found.extend(self._span(name, field, start, end, offset + limit))
        found.sort(key=lambda d: str(d.get(field) or ""), reverse=True)
        custom = self.custom_names(entity)
        chosen = found[offset : offset + limit]
        return {RESULT_KEYS[entity]: [self.wire(entity, d, custom) for d in chosen]}

    def _span(self, name: str, field: str, start: str, end: str, want: int) -> list[Any]:
        """Up to `want` objects of store entity `name`, `field` in [start, end], newest first."""
        found: list[dict[str, Any]] = []
        position, chunk = 0, 1000
        while True:
            rows = self.store.list(NS, name, offset=position, limit=chunk,
                                   sort_by=field, descending=True)  # fmt: skip
            for _, data in rows:
                stamp = data.get(field) or ""
                if stamp < start:
                    return found
                if stamp <= end:
                    found.append(data)
            if len(rows) < chunk or len(found) >= want:
                return found
            position += chunk

    def list_members(self, params: dict[str, Any]) -> dict[str, Any]:
        """getListMembers: `where: {id}` of an active list (a top-level `id` too), paging.

        Rows join the member's lead (companyName, names, email; "" when empty, as the sample
        shows); `hasMore` says whether another page follows.
        """
        where = params.get("where")
        source = where if isinstance(where, dict) and "id" in where else params
        if "id" not in source:
            raise missing("where")
        list_id = int_param(source, "id")
        offset, limit = self.page(params)
        rows = self.store.list(NS, "listMember", offset=offset, limit=limit + 1,
                               where={"listID": str(list_id)})  # fmt: skip
        members = [self.member(d) for _, d in rows[:limit]]
        return {"getWherelistMemberGets": members, "hasMore": len(rows) > limit}

    def member(self, data: dict[str, Any]) -> dict[str, Any]:
        """One ActiveListMember row: the membership joined with its lead."""
        found = self.load("lead", str(data.get("leadID") or ""))
        lead = found[1] if found else {}
        out = {"id": data.get("id"), "listID": data.get("listID")}
        for name in ("companyName", "leadID", "firstName", "lastName", "emailAddress"):
            value = data.get("leadID") if name == "leadID" else lead.get(name)
            out[name] = "" if value is None else value
        return out

    # -- writes (see `writes`) --------------------------------------------------------------------
    create = writes.create
    update = writes.update
    delete = writes.delete
    new_id = writes.new_id

    @staticmethod
    def stores(entity: str) -> tuple[str, ...]:
        return LEAD_STORES if entity == "lead" else (entity,)
