"""CMDataManager operations on the store, in the vendor's wire format (no HTTP, no auth here).

Choices where the public record is silent (docs/vendors/cmdatamanager.md; see also `schema`
and `app`):
- Entity names and the words "fields", "convert", "close", "task", "opportunity" in paths are
  matched case-insensitively (the seed itself spells "/Task/Close/"); field names are exact.
- Lists: per_page defaults to 100 and may be at most 1000 (the same for the fields endpoint);
  per_page and page must both be given or both left out, each a whole number >= 1, else 400.
  A page past the end is 200 with an empty list. "Total Pages" is "0" for an empty entity.
  Without sort_by, records come in creation order (sort_order asc/desc still applies); sort_by
  must name a field of the entity, sort_order must be asc or desc (any case), else 400. Text
  sorts case-insensitively, numbers numerically, empty values first when ascending.
  fields= selects and orders Properties; an unknown name is 400. Unknown query parameters are
  ignored.
- Writes take a JSON object whose values are strings or null ("" counts as null). Unknown,
  read-only (CreatedDate, ModifiedDate, ...) and invalid fields are 400 with every problem in
  "Errors"; a create must carry every required field; defaults: lead Status "New", task Status
  "Open" and Priority "Normal", opportunity Stage "Prospecting". An update with no fields is 400.
- Linked creation (POST /{entity}/{id}/task|opportunity) works from any entity; the new record's
  read-only RelatedEntity/RelatedExternalID name the parent, and an opportunity created under an
  account also gets Account = that account unless the body says otherwise.
- Convert takes exactly {"Account ExternalID": "..."}: a missing lead or account is 404, a lead
  already converted is 400. The lead gets Status "Converted" and ConvertedAccount; a contact is
  created from the lead's name, email, phones and job title under that account. The answer is
  {"Message": "Record updated.", "Contact ExternalID": "..."}.
- Close sets Status "Completed" and ClosedDate (kept if the task was already closed, so closing
  twice is harmless); an optional JSON body of task fields is applied as an update first.
- Deleting a record leaves records that refer to it unchanged.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from crmtui.sandbox.cmdatamanager import schema
from crmtui.sandbox.cmdatamanager.schema import FIELDS, CmdField
from crmtui.sandbox.store import Store

NS = "cmdatamanager"
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 1000
_PERSON = ("FirstName", "LastName", "Email", "Phone", "Mobile", "JobTitle")


class ApiError(Exception):
    """An error answer: HTTP status, a message, and per-field reasons for validation errors."""

    def __init__(self, status: int, message: str, errors: dict[str, str] | None = None) -> None:
        """Describe the error response."""
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """The JSON body: {"Message": ...} plus "Errors" when fields are at fault."""
        out: dict[str, Any] = {"Message": self.message}
        if self.errors:
            out["Errors"] = self.errors
        return out


def parse_body(raw: bytes, *, optional: bool = False) -> dict[str, Any]:
    """The request's JSON object; 400 when it is malformed or not an object."""
    if optional and not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Malformed JSON in the request body.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object of field names and values.")
    return data


def _paging(params: Mapping[str, str]) -> tuple[int, int]:
    per_page, page = params.get("per_page"), params.get("page")
    if per_page is None and page is None:
        return DEFAULT_PER_PAGE, 1
    if per_page is None or page is None:
        raise ApiError(400, "per_page and page must be used together.")
    values = []
    for name, text in (("per_page", per_page), ("page", page)):
        if not text.isdigit() or int(text) < 1:
            raise ApiError(400, f"{name} must be a whole number of at least 1.")
        values.append(int(text))
    if values[0] > MAX_PER_PAGE:
        raise ApiError(400, f"per_page may be at most {MAX_PER_PAGE}.")
    return values[0], values[1]


class CmdData:
    """The emulated CMDataManager account: reads and writes records as the API shows them."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        """Serve the CMDataManager namespace of `store`, stamping times from `clock`."""
        self.store = store
        self.clock = clock

    def now(self) -> str:
        """The clock's time as the API writes datetimes."""
        return datetime.fromtimestamp(self.clock(), UTC).strftime("%Y-%m-%d %H:%M:%S")

    @staticmethod
    def entity(name: str) -> str:
        """The entity's canonical name; 404 for an unknown one."""
        key = name.lower()
        if key not in FIELDS:
            raise ApiError(404, f"Entity '{name}' not found.")
        return key

    def _load(self, entity: str, rid: str) -> dict[str, Any]:
        data = self.store.get(NS, entity, rid)
        if data is None:
            raise ApiError(404, f"No {entity} record with ExternalID '{rid}'.")
        return data

    @staticmethod
    def wire(
        entity: str, rid: str, data: dict[str, Any], only: list[CmdField] | None = None
    ) -> Any:
        """One record as {"ExternalID", "Properties"} with every value a string or null."""
        chosen = only if only is not None else list(FIELDS[entity].values())
        props = {f.name: schema.to_wire(f, data.get(f.name)) for f in chosen}
        return {"ExternalID": rid, "Properties": props}

    def get(self, entity: str, rid: str) -> Any:
        """GET /{entity}/{id}."""
        return self.wire(entity, rid, self._load(entity, rid))

    def list(self, entity: str, params: Mapping[str, str]) -> dict[str, Any]:
        """GET /{entity}?fields=&per_page=&page=&sort_by=&sort_order=."""
        per_page, page = _paging(params)
        known = FIELDS[entity]
        only: list[CmdField] | None = None
        if params.get("fields", "").strip():
            names = [n.strip() for n in params["fields"].split(",") if n.strip()]
            unknown = {n: "Unknown field." for n in names if n not in known}
            if unknown:
                raise ApiError(400, "Unknown field in fields.", unknown)
            only = [known[n] for n in dict.fromkeys(names)]
        sort_by = params.get("sort_by") or None
        if sort_by is not None and sort_by not in known:
            raise ApiError(400, f"Cannot sort by '{sort_by}'.", {sort_by: "Unknown field."})
        order = params.get("sort_order", "asc").lower()
        if order not in ("asc", "desc"):
            raise ApiError(400, "sort_order must be asc or desc.")
        total = self.store.count(NS, entity)
        rows = self.store.list(
            NS, entity, offset=(page - 1) * per_page, limit=per_page,
            sort_by=sort_by, descending=order == "desc",
        )  # fmt: skip
        return {
            "Total Records": str(total),
            "Total Pages": str(math.ceil(total / per_page)),
            "Entity": [self.wire(entity, rid, data, only) for rid, data in rows],
        }

    def fields(self, entity: str, params: Mapping[str, str]) -> dict[str, Any]:
        """GET /{entity}/fields?per_page=&page= (not offered for task)."""
        if entity in schema.NO_FIELDS_ENDPOINT:
            raise ApiError(404, f"Field metadata is not available for '{entity}'.")
        per_page, page = _paging(params)
        every = schema.ENTITIES[entity]
        chosen = every[(page - 1) * per_page : page * per_page]
        return {
            "Total Records": str(len(every)),
            "Total Page": str(math.ceil(len(every) / per_page)),
            "Field": [
                {"ExternalID": schema.field_id(entity, f.name), "Properties": schema.properties(f)}
                for f in chosen
            ],
        }

    def _check(self, entity: str, body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
        """Validate written values; the stored form of each, or 400 naming every bad field."""
        known = FIELDS[entity]
        errors: dict[str, str] = {}
        out: dict[str, Any] = {}
        for name, value in body.items():
            f = known.get(name)
            if f is None:
                errors[name] = "Unknown field."
            elif f.read_only:
                errors[name] = "Read-only field."
            elif value is None or value == "":
                if f.required:
                    errors[name] = "Required."
                out[name] = None
            elif not isinstance(value, str):
                errors[name] = "Must be a string or null."
            else:
                try:
                    out[name] = schema.to_stored(f, value)
                except ValueError as exc:
                    errors[name] = str(exc)
                    continue
                if f.lookup and self.store.get(NS, f.lookup, value) is None:
                    errors[name] = f"No {f.lookup} record with this ExternalID."
        if creating:
            for f in known.values():
                if f.required and f.name not in body:
                    errors[f.name] = "Required."
        if errors:
            raise ApiError(400, "The request has invalid fields.", errors)
        return out

    def _new_id(self, entity: str) -> str:
        while True:
            rid = schema.format_id(secrets.randbits(64))
            if self.store.get(NS, entity, rid) is None:
                return rid

    def create(self, entity: str, body: dict[str, Any], links: dict[str, str] | None = None) -> str:
        """POST /{entity}: validate, apply defaults and stamps, store; returns the ExternalID."""
        values = {**schema.DEFAULTS.get(entity, {}), **self._check(entity, body, creating=True)}
        stamp = self.now()
        values.update(links or {}, CreatedDate=stamp, ModifiedDate=stamp)
        return self.store.insert(NS, entity, values, record_id=self._new_id(entity))

    def update(self, entity: str, rid: str, body: dict[str, Any]) -> None:
        """PUT /{entity}/{id}: merge the given fields."""
        self._load(entity, rid)
        if not body:
            raise ApiError(400, "No fields to update.")
        values = self._check(entity, body, creating=False)
        self.store.update(NS, entity, rid, {**values, "ModifiedDate": self.now()})

    def delete(self, entity: str, rid: str) -> None:
        """DELETE /{entity}/{id}."""
        if not self.store.delete(NS, entity, rid):
            raise ApiError(404, f"No {entity} record with ExternalID '{rid}'.")

    def create_linked(self, entity: str, rid: str, child: str, body: dict[str, Any]) -> str:
        """POST /{entity}/{id}/task or /opportunity: a child record referring to its parent."""
        self._load(entity, rid)
        links = {"RelatedEntity": entity, "RelatedExternalID": rid}
        if child == "opportunity" and entity == "account" and not body.get("Account"):
            links["Account"] = rid
        return self.create(child, body, links)

    def convert(self, rid: str, body: dict[str, Any]) -> dict[str, str]:
        """PUT /lead/convert/{id} with {"Account ExternalID": ...}."""
        lead = self._load("lead", rid)
        key = "Account ExternalID"
        errors = {k: "Unknown field." for k in body if k != key}
        account = body.get(key)
        if not isinstance(account, str) or not account:
            errors[key] = "Required." if account in (None, "") else "Must be a string."
        if errors or not isinstance(account, str):
            raise ApiError(400, "The request has invalid fields.", errors)
        self._load("account", account)
        if lead.get("Status") == "Converted":
            raise ApiError(400, "Lead is already converted.")
        stamp = self.now()
        person = {k: lead[k] for k in _PERSON if lead.get(k)}
        person.update(Account=account, CreatedDate=stamp, ModifiedDate=stamp)
        contact = self.store.insert(NS, "contact", person, record_id=self._new_id("contact"))
        changes = {"Status": "Converted", "ConvertedAccount": account, "ModifiedDate": stamp}
        self.store.update(NS, "lead", rid, changes)
        return {"Message": "Record updated.", "Contact ExternalID": contact}

    def close(self, rid: str, body: dict[str, Any]) -> None:
        """PUT /task/close/{id}: mark the task completed (optionally updating fields first)."""
        task = self._load("task", rid)
        if body:
            self.update("task", rid, body)
        closed = task.get("ClosedDate") if task.get("Status") == "Completed" else None
        stamp = self.now()
        changes = {"Status": "Completed", "ClosedDate": closed or stamp, "ModifiedDate": stamp}
        self.store.update(NS, "task", rid, changes)
