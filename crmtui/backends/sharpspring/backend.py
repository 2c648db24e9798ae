"""SharpSpring: JSON-RPC-like, credentials in the query string (docs/vendors/sharpspring.md)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from crmtui.backends.base import Backend
from crmtui.backends.sharpspring.fields import (
    ENTITIES,
    STANDARD,
    SsEntity,
    custom_field,
    entity_specs,
    parsers,
    serialize,
)
from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.backends.sharpspring.spec import SPEC
from crmtui.errors import (
    AuthError,
    ConfigError,
    NotFound,
    ObjectResult,
    PartialFailure,
    RateLimited,
    TransportError,
    UsageError,
    ValidationFailed,
    VendorError,
)
from crmtui.http.client import VendorHTTP
from crmtui.http.retry import OpKind
from crmtui.model import (
    Capability,
    Change,
    Choice,
    EntitySpec,
    FieldSpec,
    FieldType,
    Page,
    Query,
    Record,
    as_values,
)
from crmtui.model.raw import RawRequest, RawResponse

AUTH_CODES = {103, 104, 105}
SMALL_REFERENCES = ("user_profile", "deal_stage", "campaign", "account")
SMALL = 500  # reference targets with at most this many records get their names loaded
_ERROR_PEEK = 65_536  # API-level errors are small; a page of records is not worth parsing twice


class SharpSpringBackend(Backend):
    """Leads, accounts, campaigns, opportunities, deal stages, user profiles and lists."""

    spec = SPEC  # vendor, label, capabilities and pace (10 a second, 50,000 a day)
    settings: SharpSpringProfile
    max_page_size = 500

    def __init__(
        self, settings: SharpSpringProfile, secrets: Mapping[str, str], http: VendorHTTP
    ) -> None:
        super().__init__(settings, secrets, http)
        version = settings.api_version
        self.url = f"{settings.base_url.rstrip('/')}/pubapi/{version}/"
        zone_name = getattr(settings, "company_zone", None) or "America/New_York"
        try:
            self.zone: dt.tzinfo = dt.UTC if version != "v1" else ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"unknown time zone {zone_name!r} in profile") from None
        self._ids = itertools.count(1)
        self._names: dict[str, dict[str, str]] = {}
        self._parsers: dict[tuple[str, int], dict[str, Any]] = {}

    # -- requests -------------------------------------------------------------------------------
    def _credential(self, key: str) -> str:
        value = self.secrets.get(key)
        if value is None:
            value = getattr(self.settings, key, None)
        if not isinstance(value, str) or not value:
            raise AuthError(f"profile {self.settings.name!r} has no {key}")
        return value

    def _query(self) -> dict[str, str]:
        return {
            "accountID": self._credential("account_id"),
            "secretKey": self._credential("secret_key"),
        }

    async def _post(self, method: str, params: Any, op: OpKind) -> tuple[httpx.Response, str]:
        rid = f"crmtui-{next(self._ids)}"
        body = {"method": method, "params": params, "id": rid}
        response = await self.http.request(
            "POST", self.url, op=op, params=self._query(), json=body, check=_check_limits
        )
        return response, rid

    async def call(self, method: str, params: Mapping[str, Any], op: OpKind = OpKind.READ) -> Any:
        """Call one method; returns its `result`, or raises the typed error for its `error`."""
        response, rid = await self._post(method, dict(params), op)
        if response.status_code == 401:
            raise AuthError(
                f"SharpSpring refused the account of profile {self.settings.name!r} (HTTP 401)"
            )
        if response.status_code != 200:
            raise VendorError(f"SharpSpring answered HTTP {response.status_code}", status=500)
        body = _decode(response)
        if not isinstance(body, dict) or ("result" not in body and "error" not in body):
            raise TransportError("SharpSpring answered with something that is not its envelope")
        if body.get("id") is not None and str(body.get("id")) != rid:
            raise TransportError(f"SharpSpring answered another request ({method})")
        error = body.get("error")
        if body.get("result") is None and isinstance(error, dict):
            raise _api_error(method, error)
        return body.get("result")

    # -- metadata -------------------------------------------------------------------------------
    async def entities(self) -> list[EntitySpec]:
        """The seven entities the vendor's module page lists."""
        return entity_specs()

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        """The typed standard fields, custom fields from getFields, references named."""
        specs = list(STANDARD[entity])
        if entity in ("lead", "account", "campaign", "opportunity"):
            where = {"isCustom": "1", "relationship": entity}
            for item in await self._all("getFields", "field", where):
                if str(item.get("relationship", entity)) == entity and item.get("systemName"):
                    specs.append(custom_field(item))
        named = []
        for spec in specs:
            if spec.type is FieldType.REFERENCE and spec.reference in SMALL_REFERENCES:
                names = await self._reference_names(spec.reference)
                choices = tuple(Choice(k, v) for k, v in names.items())
                spec = FieldSpec(**{**spec.__dict__, "choices": choices})
            named.append(spec)
        return named

    async def _reference_names(self, target: str) -> dict[str, str]:
        """id -> name of a small entity (empty when it holds more than SMALL records)."""
        if target not in self._names:
            e = ENTITIES[target]
            result = await self.call(f"get{e.plural}", {"where": {}, "limit": SMALL, "offset": 0})
            items = _items(result, e.key)
            names: dict[str, str] = {}
            if len(items) < SMALL:
                for item in items:
                    names[str(item.get("id"))] = _name(target, item)
            self._names[target] = names
        return self._names[target]

    async def _all(self, method: str, key: str, where: Mapping[str, str]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            params = {"where": dict(where), "limit": 500, "offset": len(items)}
            page = _items(await self.call(method, params), key)
            items.extend(page)
            if len(page) < 500:
                return items

    # -- records --------------------------------------------------------------------------------
    def _spec(self, entity: str) -> SsEntity:
        return ENTITIES[entity]

    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        """A page by `limit`/`offset`; a short page is the end and there is no total."""
        await self.entity(entity)
        e = self._spec(entity)
        limit = max(1, min(limit, self.max_page_size))
        if query.sort:
            raise UsageError("SharpSpring cannot sort on the server; sort the loaded rows")
        params: dict[str, Any] = {"where": _where(entity, query), "limit": limit, "offset": offset}
        if query.fields and entity == "lead":
            params["fields"] = list(query.fields)
        result = await self.call(f"get{e.plural}", params)
        fields = await self.fields(entity)
        records = [self._record(entity, item, fields) for item in _items(result, e.key)]
        end = offset + len(records)
        return Page(records, offset, end if len(records) >= limit else None, None)

    def _record(self, entity: str, item: Mapping[str, Any], fields: Sequence[FieldSpec]) -> Record:
        key = (entity, id(fields))
        if key not in self._parsers:
            self._parsers = {key: parsers(fields, self.zone)} | self._parsers
        values = dict(item)
        for name, parse in self._parsers[key].items():
            if name in values:
                values[name] = parse(values[name])
        return Record(
            entity, str(item.get("id", "")), values, item if isinstance(item, dict) else dict(item)
        )

    async def get(self, entity: str, record_id: str) -> Record:
        """One record by id (getLead, ... or the list method filtered by id)."""
        await self.entity(entity)
        e = self._spec(entity)
        rid = _id(record_id)
        if e.single:
            result = await self.call(f"get{e.single}", {"id": rid})
        else:
            result = await self.call(f"get{e.plural}", {"where": {"id": rid}})
        items = _items(result, e.key)
        if not items:
            raise NotFound(f"{entity} {record_id} not found")
        return self._record(entity, items[0], await self.fields(entity))

    async def _payload(self, entity: str, values: Mapping[str, Any], creating: bool) -> Any:
        e = self._spec(entity)
        if not e.writable:
            raise UsageError(f"SharpSpring cannot change {entity} records")
        typed = (await self.validator(entity)).validate(values, creating=creating)
        return {name: serialize(value, self.zone) for name, value in typed.items()}

    async def create(self, entity: str, values: Mapping[str, Any]) -> Record:
        """create{Objects} with one object; the new id comes back in `creates`."""
        payload = await self._payload(entity, values, True)
        payload = {k: v for k, v in payload.items() if v is not None}
        e = self._spec(entity)
        result = await self.call(f"create{e.plural}", {"objects": [payload]}, OpKind.CREATE)
        outcome = _outcomes(result, "creates", [payload])[0]
        if not outcome.ok or not outcome.id:
            raise _single_failure(entity, "", outcome)
        return await self.get(entity, outcome.id)

    async def update(self, entity: str, record_id: str, changes: Sequence[Change]) -> Record:
        """Only the changed fields; leads through updateLeadsV2 so an unknown id is reported."""
        await self.update_many(entity, [(record_id, changes)])
        return await self.get(entity, record_id)

    async def update_many(
        self, entity: str, updates: Sequence[tuple[str, Sequence[Change]]]
    ) -> list[ObjectResult]:
        """Up to 500 updates in one call; PartialFailure (one result per object) if any fail.

        A single failed update raises the error of that object (ValidationFailed on its field,
        NotFound); "nothing changed" (302) counts as success.
        """
        if len(updates) > 500:
            raise UsageError("SharpSpring takes at most 500 objects per request")
        objects = []
        for record_id, changes in updates:
            payload = await self._payload(entity, as_values(changes), False)
            objects.append({"id": _id(record_id), **payload})
        method = "updateLeadsV2" if entity == "lead" else f"update{self._spec(entity).plural}"
        result = await self.call(method, {"objects": objects}, OpKind.IDEMPOTENT)
        outcomes = _outcomes(result, "updates", objects)
        if len(outcomes) == 1 and not outcomes[0].ok:
            raise _single_failure(entity, updates[0][0], outcomes[0])
        if any(not o.ok for o in outcomes):
            raise PartialFailure(outcomes)
        return outcomes

    async def delete(self, entity: str, record_id: str) -> None:
        """delete{Objects} with one id; an unknown id is NotFound."""
        e = self._spec(entity)
        if not e.writable:
            raise UsageError(f"SharpSpring cannot delete {entity} records")
        objects = [{"id": _id(record_id)}]
        result = await self.call(f"delete{e.plural}", {"objects": objects}, OpKind.IDEMPOTENT)
        outcome = _outcomes(result, "deletes", objects)[0]
        if not outcome.ok:
            raise _single_failure(entity, record_id, outcome)

    async def changed_since(self, entity: str, since: dt.datetime) -> list[Record]:
        """Created or updated since `since`, newest first, from the DateRange methods."""
        spec = await self.entity(entity)
        if not spec.can(Capability.WATCH):
            raise UsageError(f"SharpSpring cannot watch {entity} for changes")
        e = self._spec(entity)
        start = since.astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S")
        end = (dt.datetime.now(self.zone) + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
        found: dict[str, dict[str, Any]] = {}
        for kind in ("create", "update"):
            offset = 0
            while True:
                params = {"startDate": start, "endDate": end, "timestamp": kind,
                          "limit": 500, "offset": offset}  # fmt: skip
                items = _items(await self.call(f"get{e.plural}DateRange", params), e.key)
                for item in items:
                    found[str(item.get("id"))] = item
                if len(items) < 500:
                    break
                offset += 500
        fields = await self.fields(entity)
        records = [self._record(entity, item, fields) for item in found.values()]
        records.sort(key=_changed_at, reverse=True)
        return [r for r in records if _changed_at(r) >= since]

    # -- raw calls ------------------------------------------------------------------------------
    async def raw(self, request: RawRequest) -> RawResponse:
        """Any method with any params (like the vendor's "Make an API Call"), credentials added."""
        method = request.method.strip()
        if not method:
            raise UsageError("name the SharpSpring method to call, e.g. getLeads")
        op = OpKind.READ if not self.is_write(request) else OpKind.IDEMPOTENT
        if method.lower().startswith("create"):
            op = OpKind.CREATE
        params = request.body if request.body is not None else {}
        started = time.monotonic()
        response, rid = await self._post(method, params, op)
        redact = self.http.redactor
        shown = {"method": method, "params": params, "id": rid}
        return RawResponse(
            status=response.status_code,
            elapsed=time.monotonic() - started,
            headers=redact.headers(response.headers),
            body=redact.text(response.text),
            shown_method="POST",
            shown_url=redact.url(response.request.url),
            shown_headers=redact.headers(response.request.headers),
            shown_body=redact.text(json.dumps(shown)),
        )

    def is_write(self, request: RawRequest) -> bool:
        """Every method but the get* ones writes."""
        return not request.method.strip().lower().startswith("get")


def _check_limits(response: httpx.Response) -> None:
    """The HTTP layer's hook: a 107 inside an HTTP 200 body is a rate limit (wait a second)."""
    if response.status_code != 200 or len(response.content) > _ERROR_PEEK:
        return
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and _code(error) == 107:
        raise RateLimited("SharpSpring: more than 10 requests a second (107)", retry_after=1.0)


def _decode(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        kind = response.headers.get("content-type", "unknown content")
        raise TransportError(
            f"SharpSpring answered HTTP {response.status_code} with something that is not JSON "
            f"({kind}, {len(response.content)} bytes)"
        ) from None


def _code(error: Mapping[str, Any]) -> int | None:
    try:
        return int(str(error.get("code")))
    except ValueError:
        return None


def _params(error: Mapping[str, Any]) -> dict[str, str]:
    """The per-parameter details of a 205-style error, by parameter name."""
    data = error.get("data")
    items = data.get("params") if isinstance(data, dict) else data
    out: dict[str, str] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("param"):
            out[str(item["param"])] = str(item.get("message") or "is invalid")[:200]
    return out


def _api_error(method: str, error: Mapping[str, Any]) -> Exception:
    """The typed error for an API-level error object."""
    code = _code(error)
    message = str(error.get("message") or "error")[:300]
    if code in AUTH_CODES:
        return AuthError(f"SharpSpring refused the credentials: {message} (code {code})")
    if code == 106:
        now = time.time()
        return RateLimited(
            f"SharpSpring's daily API limit is spent: {message}",
            retry_after=86400 - now % 86400,
        )
    if code == 107:
        return RateLimited(f"SharpSpring: {message}", retry_after=1.0)
    if code in (205, 206, 217) and _params(error):
        return ValidationFailed(_params(error), f"{method}: {message}: {_params(error)}")
    if code in (212, 214, 404):
        return NotFound(f"{method}: {message}")
    return VendorError(f"SharpSpring {method} failed: {message}", code=code)


def _outcomes(result: Any, key: str, objects: Sequence[Any]) -> list[ObjectResult]:
    """One ObjectResult per object sent, from `creates`/`updates`/`deletes`."""
    entries = result.get(key) if isinstance(result, dict) else None
    if not isinstance(entries, list) or len(entries) != len(objects):
        raise VendorError(f"SharpSpring's answer has no {key} for each object")
    out = []
    for index, entry in enumerate(entries):
        entry = entry if isinstance(entry, dict) else {}
        error = entry.get("error") if isinstance(entry.get("error"), dict) else {}
        ok = entry.get("success") in (True, "true", "1", 1)
        code = _code(error) if error else None
        if code == 302:  # "no table rows affected": the object already holds these values
            ok = True
        new_id = entry.get("id")
        fields = _params(error) if error else {}
        name = next(iter(fields), None) or ("emailAddress" if code == 301 else None)
        message = fields.get(name or "", "") or str((error or {}).get("message") or "")
        out.append(
            ObjectResult(index, ok, None if new_id is None else str(new_id), code, message, name)
        )
    return out


def _single_failure(entity: str, record_id: str, outcome: ObjectResult) -> Exception:
    if outcome.code == 404:
        return NotFound(f"{entity} {record_id} not found")
    if outcome.field:
        why = "already exists" if outcome.code == 301 else outcome.message
        return ValidationFailed({outcome.field: why})
    return VendorError(f"SharpSpring refused the {entity}: {outcome.message}", code=outcome.code)


def _items(result: Any, key: str) -> list[dict[str, Any]]:
    items = result.get(key) if isinstance(result, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _name(target: str, item: Mapping[str, Any]) -> str:
    if target == "user_profile":
        text = (
            item.get("displayName") or f"{item.get('firstName') or ''} {item.get('lastName') or ''}"
        )
    else:
        key = {"deal_stage": "dealStageName", "campaign": "campaignName"}.get(target, "accountName")
        text = item.get(key)
    return str(text or item.get("id")).strip()


def _id(record_id: str) -> int:
    text = str(record_id).strip()
    if not text.isdigit():
        raise UsageError(f"{record_id!r} is not a SharpSpring id (a whole number)")
    return int(text)


def _where(entity: str, query: Query) -> dict[str, str]:
    """Query filters as `where` (leads: id or emailAddress, one key)."""
    where: dict[str, str] = {}
    allowed = ("id", "emailAddress") if entity == "lead" else ("id",)
    for f in query.filters:
        if f.field not in allowed or f.op != "eq":
            raise UsageError(
                f"SharpSpring can search {entity} only by {' or '.join(allowed)} (exact match)"
            )
        where[f.field] = f.value.strip()
    if len(where) > 1:
        raise UsageError("SharpSpring searches by one field at a time")
    return where


def _changed_at(record: Record) -> dt.datetime:
    value = record.values.get("updateTimestamp") or record.values.get("createTimestamp")
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.min.replace(tzinfo=dt.UTC)
