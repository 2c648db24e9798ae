"""The SharpSpring emulator: its JSON-RPC-like API (docs/vendors/sharpspring.md) over the store.

`POST /pubapi/v1/` and `/pubapi/v1.2/` (the trailing slash optional). v1 shows and reads times in
the company zone, America/New_York; v1.2 in UTC. Choices made here, where the record is silent:
- Credentials come from the query string: no accountID is 103, no secretKey 104 (JSON, HTTP 200);
  an unknown accountID is HTTP 401 with a plain-text body, as the live service answers; a wrong
  secret for the known account is 105.
- Then, in order: the per-second limit (107: more than `per_second` requests in the last second;
  refused requests do not count), the daily quota (106: `daily_limit` requests per UTC day,
  107-refused ones excluded), the body (101 not a JSON object, 102 no id, 201 no method,
  202 no params object, 204 unknown method), then the method (see `methods`).
- Every answer is HTTP 200 `{"result", "error", "id"}` with the request id echoed whenever the
  body could be parsed, errors before the method ran included (null when it could not); `"id": ""`
  is a valid id, as SharpSpring's own samples send it. Reads carry `"error": null`, writes `[]`
  or the failing objects' errors; the paged list methods (getListMembers) also carry `hasMore`
  at the top level and inside `result`, with `"error": []`, as the public sample shows.
- `Expect: 100-continue` with a body over 1,024 bytes is answered 502 (plain text), as the seed
  warns. A non-POST is 405; other paths 404 (plain text).
- `Faults.rate_limit_exhausted` makes every authenticated call a 106.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from crmtui.sandbox.faults import FaultMiddleware, Faults
from crmtui.sandbox.rate import CalendarWindow, SlidingWindow
from crmtui.sandbox.sharpspring import activity
from crmtui.sandbox.sharpspring.methods import PLURALS, SINGULARS, ApiError, SsData, write_error
from crmtui.sandbox.sharpspring.schema import NS
from crmtui.sandbox.sharpspring.seed import seed_sharpspring
from crmtui.sandbox.store import Store

LABEL = "SharpSpring"
VERSIONS = ("v1", "v1.2")
ACCOUNT_ID = "SANDBOX-ACCT-1"
SECRET_KEY = "sandbox-sharpspring-secret-key"
log = logging.getLogger(__name__)

Method = Callable[[SsData, dict[str, Any]], Any]


def _methods() -> dict[str, tuple[Method, bool]]:
    """Method name -> (handler returning the result, whether it writes)."""
    table: dict[str, tuple[Method, bool]] = {}
    for entity, plural in PLURALS.items():
        single = SINGULARS[entity]
        table[f"get{single}"] = (partial(_call, "get_one", entity), False)
        table[f"get{plural}"] = (partial(_call, "get_many", entity), False)
        table[f"get{plural}DateRange"] = (partial(_call, "date_range", entity), False)
        table[f"create{plural}"] = (partial(_write, "creates", "create", entity), True)
        table[f"update{plural}"] = (partial(_update, entity, entity != "lead"), True)
        table[f"delete{plural}"] = (partial(_write, "deletes", "delete", entity), True)
    table["updateLeadsV2"] = (partial(_update, "lead", True), True)
    table["getDealStagesDateRange"] = (partial(_call, "date_range", "dealStage"), False)
    for name, entity in (
        ("getDealStages", "dealStage"),
        ("getUserProfiles", "userProfile"),
        ("getFields", "field"),
        ("getActiveLists", "activeList"),
    ):
        table[name] = (partial(_call, "get_many", entity), False)
    table["getListMembers"] = (lambda data, params: data.list_members(params), False)
    table["getEvents"] = (activity.get_events, False)
    table["getEventsByType"] = (activity.get_events_by_type, False)
    table["addListMember"] = (activity.add_list_member, True)
    table["removeListMember"] = (activity.remove_list_member, True)
    return table


def _call(op: str, entity: str, data: SsData, params: dict[str, Any]) -> Any:
    result: Any = getattr(data, op)(entity, params)
    return result


def _write(key: str, op: str, entity: str, data: SsData, params: dict[str, Any]) -> Any:
    return {key: getattr(data, op)(entity, params)}


def _update(entity: str, report_unknown: bool, data: SsData, params: dict[str, Any]) -> Any:
    return {"updates": data.update(entity, params, report_unknown=report_unknown)}


METHODS = _methods()


@dataclass
class _Gate:
    """The account's credentials, its per-second window and its daily quota."""

    account_id: str
    secret_key: str = field(repr=False)
    per_second: int
    daily_limit: int
    second: SlidingWindow = field(init=False)
    daily: CalendarWindow = field(init=False)

    def __post_init__(self) -> None:
        self.second = SlidingWindow(self.per_second, 1.0)
        self.daily = CalendarWindow(self.daily_limit, 86400)

    def auth(self, request: Request, rid: Any) -> Response | None:
        """None when the query string holds this account's credentials, else the answer.

        `rid` is the request id when the body could be read: the answer echoes it.
        """
        account = request.query_params.get("accountID", "")
        secret = request.query_params.get("secretKey", "")
        if not account:
            return _envelope(None, ApiError(103, "Header missing account ID.").body(), rid)
        if not secret:
            return _envelope(None, ApiError(104, "Header missing Secret Key.").body(), rid)
        if not hmac.compare_digest(account.encode(), self.account_id.encode()):
            return PlainTextResponse(
                "Unable to determine clusterID from provided accountID/secretKey",
                401,
                headers={"WWW-Authenticate": 'Basic realm="SharpSpring"'},
            )
        if not hmac.compare_digest(secret.encode(), self.secret_key.encode()):
            return _envelope(None, ApiError(105, "User authentication failed.").body(), rid)
        return None

    def take(self, now: float, exhausted: bool) -> ApiError | None:
        """Count one call; the 107 or 106 error when a limit is spent."""
        if not self.second.take(now):
            return ApiError(107, "Exceeded per second method call limit.")
        if not self.daily.take(now, exhausted):
            return ApiError(106, "Exceeded daily method call limit.")
        return None


def _envelope(result: Any, error: Any, rid: Any) -> Response:
    return JSONResponse({"result": result, "error": error, "id": rid})


def _parse(raw: bytes) -> dict[str, Any] | None:
    """The request object, or None when the body is not a JSON object."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _body(body: dict[str, Any] | None) -> tuple[dict[str, Any], Any]:
    """The request object and its id; ApiError for a malformed envelope.

    SharpSpring's own samples send `"id": ""` (PHP's empty `session_id()`), so only a missing
    or null id is 102.
    """
    if body is None:
        raise ApiError(101, "Invalid request data format.")
    rid = body.get("id")
    if rid is None:
        raise ApiError(102, "Header missing request ID.")
    return body, rid


def create_app(
    store: Store,
    *,
    faults: Faults | None = None,
    records: int = 10_000,
    seed: int = 0,
    clock: Callable[[], float] = time.time,
    daily_limit: int = 50_000,
    per_second: int = 10,
    account_id: str = ACCOUNT_ID,
    secret_key: str = SECRET_KEY,
    **_options: Any,
) -> Starlette:
    """The SharpSpring app over `store` (seeded with `records` leads first if it is not)."""
    if not store.is_seeded(NS):
        seed_sharpspring(store, records=records, seed=seed)
    gate = _Gate(account_id, secret_key, per_second, daily_limit)
    data = {version: SsData(store, clock, version) for version in VERSIONS}

    async def endpoint(request: Request) -> Response:
        version = request.path_params["version"]
        if version not in VERSIONS:
            return PlainTextResponse("Not Found", 404)
        if request.method != "POST":
            return PlainTextResponse("Method Not Allowed", 405)
        raw = await request.body()
        if request.headers.get("expect", "").lower() == "100-continue" and len(raw) > 1024:
            return PlainTextResponse("502 Bad Gateway", 502)
        parsed = _parse(raw)
        rid: Any = None if parsed is None else parsed.get("id")
        refused = gate.auth(request, rid)
        if refused is not None:
            return refused
        try:
            limited = gate.take(clock(), request.app.state.faults.rate_limit_exhausted)
            if limited is not None:
                raise limited
            body, rid = _body(parsed)
            method = body.get("method")
            if not method:
                raise ApiError(201, "Missing method signature.")
            params = body.get("params")
            if not isinstance(params, dict):
                raise ApiError(202, "Missing params array.")
            found = METHODS.get(str(method))
            if found is None:
                raise ApiError(204, "Invalid method signature.")
            handler, writes = found
            result = handler(data[version], params)
            error: Any = None
            if writes:
                error = write_error(next(iter(result.values())))
            elif isinstance(result, dict) and "hasMore" in result:
                # The paged list methods answer `hasMore` at the top level too, with
                # `"error": []` (SS-EX 21947501130, getListMembers).
                return JSONResponse(
                    {"hasMore": result["hasMore"], "result": result, "error": [], "id": rid}
                )
            return _envelope(result, error, rid)
        except ApiError as exc:
            return _envelope(None, exc.body(), rid)
        except Exception:
            log.exception("sandbox: unexpected error in SharpSpring %s", request.url.path)
            return _envelope(
                None,
                ApiError(
                    999, "Unknown error. Please contact Constant Contact Developer Support."
                ).body(),
                rid,
            )

    async def not_found(request: Request) -> Response:
        return PlainTextResponse("Not Found", 404)

    methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
    routes = [
        Route("/pubapi/{version}/", endpoint, methods=methods),
        Route("/pubapi/{version}", endpoint, methods=methods),
        Route("/{rest:path}", not_found, methods=methods),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(FaultMiddleware)])
    app.state.faults = faults if faults is not None else Faults()
    app.state.store = store
    app.state.gate = gate
    return app


def sandbox_profile() -> dict[str, Any]:
    """The profile keys that reach this sandbox (its credentials are sandbox-only)."""
    return {"account_id": ACCOUNT_ID, "secret_key": SECRET_KEY, "api_version": "v1.2"}
