"""The LeadSquared emulator: the v2 LeadManagement/OpportunityManagement API and the async host.

Routes: `/v2/LeadManagement.svc/{Method}`, `/v2/OpportunityManagement.svc/Capture` and, standing
in for the separate async host, everything under `/async/` (`sandbox_profile()` gives that as
`async_base_url`). Data operations live in `leads`, the async queue in `async_api`, the fields
in `schema`. Choices made here, where the public record is silent:
- Method names match case-insensitively; an unknown one is 404 (MX body); a wrong verb is 404.
- Every call needs `accessKey` and `secretKey` in the query string, and async calls also the
  `x-api-key` header; a missing or wrong one is 401 with an MXUnAuthorisedAccessException body
  that never echoes what was sent.
- Rate limit: at most 25 calls in any 5 seconds (injected clock) for the whole account, async
  host included; refused calls do not count. Over it: HTTP 429 with the seed's message in an
  MXAPIRateLimitExceededException body, or HTTP 200 with that body when
  `Switches.rate_limit_in_body` is on. No Retry-After is sent. `Faults.rate_limit_exhausted`
  refuses every call. Order of checks: rate limit, then keys, then the request.
- MX errors are answered with `Switches.mx_status` (500 by default, 200 as seen live), except
  malformed requests (400) and unknown ids on the status API (404).
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crmtui.sandbox.faults import FaultMiddleware, Faults
from crmtui.sandbox.leadsquared import schema
from crmtui.sandbox.leadsquared.async_api import AsyncQueue, Switches
from crmtui.sandbox.leadsquared.leads import LsqData, MxError, attributes
from crmtui.sandbox.leadsquared.seed import NS, seed_leadsquared
from crmtui.sandbox.rate import SlidingWindow
from crmtui.sandbox.store import Store

LABEL = "LeadSquared"
DEMO_BASE_URL = "https://demo-leadsquared.invalid"
RATE_LIMIT = (25, 5.0)
RATE_MESSAGE = "API calls exceeded the limit of 25 in 5 second(s)"
ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
log = logging.getLogger(__name__)

__all__ = ["DEFAULT_KEYS", "LABEL", "LsqKeys", "Switches", "create_app", "sandbox_profile"]


@dataclass(frozen=True)
class LsqKeys:
    """The keys the sandbox accepts (sandbox-only, not secrets of any real account)."""

    access_key: str
    secret_key: str = field(repr=False)
    api_key: str = field(repr=False)


DEFAULT_KEYS = LsqKeys(
    access_key="u$sandbox-access-key",
    secret_key="sandbox-secret-key-0f9e8d",
    api_key="sandbox-async-api-key-7c6b",
)


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise MxError("InvalidInput", "The request body is not valid JSON.", 400) from None


async def _lead_method(request: Request, data: LsqData, method: str) -> Any:
    """One LeadManagement.svc method; its JSON answer."""
    q = request.query_params
    if request.method == "GET":
        if method == "leads.getbyid":
            return data.by_id(q.get("id", ""))
        if method == "leads.getbyemailaddress":
            return data.by_email(q.get("emailaddress", ""))
        if method == "leadsmetadata.get":
            return [schema.metadata(f) for f in schema.LEAD_FIELDS]
        raise MxError("InvalidInput", "The API could not be found.", 404)
    if method == "leads.get":
        return data.search(await _json_body(request))
    if method == "leads.recentlymodified":
        return data.recently_modified(await _json_body(request))
    if method == "lead.create":
        lead_id = data.create(attributes(await _json_body(request)))
        return {"Status": "Success", "Message": {"Id": lead_id}}
    if method == "lead.update":
        rows = data.update(q.get("leadId", ""), attributes(await _json_body(request)))
        return {"Status": "Success", "Message": {"AffectedRows": rows}}
    if method in ("lead.capture", "lead.createorupdate"):
        lead_id, created = data.capture(attributes(await _json_body(request)))
        return {
            "Status": "Success",
            "Message": {"Id": lead_id, "AffectedRows": 1, "IsCreated": created},
        }
    raise MxError("InvalidInput", "The API could not be found.", 404)


def create_app(
    store: Store,
    *,
    keys: LsqKeys = DEFAULT_KEYS,
    faults: Faults | None = None,
    switches: Switches | None = None,
    records: int = 10_000,
    seed: int = 0,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The LeadSquared app over `store` (seeded with `records` leads first if it is not)."""
    if not store.is_seeded(NS):
        seed_leadsquared(store, records=records, seed=seed)
    live_switches = switches if switches is not None else Switches()
    data = LsqData(store, clock)
    queue = AsyncQueue(store, data, clock, live_switches)
    window = SlidingWindow(*RATE_LIMIT)  # the account's sliding rate window

    def check_keys(request: Request, *, async_host: bool) -> None:
        q = request.query_params
        ok = _same(q.get("accessKey"), keys.access_key) and _same(
            q.get("secretKey"), keys.secret_key
        )
        if async_host:
            ok = ok and _same(request.headers.get("x-api-key"), keys.api_key)
        if not ok:
            raise MxError("UnAuthorisedAccess", "The API keys are missing or invalid.", 401)

    async def endpoint(request: Request) -> Response:
        live: Faults = request.app.state.faults
        sw: Switches = request.app.state.switches
        # The path below this app's mount point (serve mounts it under /leadsquared).
        path = str(request.path_params.get("rest", "")).strip("/")
        async_host = path.lower().startswith("async/")
        try:
            queue.run_due()
            if live.rate_limit_exhausted or not window.take(clock()):
                body = MxError("APIRateLimitExceeded", RATE_MESSAGE).body()
                return JSONResponse(body, status_code=200 if sw.rate_limit_in_body else 429)
            check_keys(request, async_host=async_host)
            answer = await _route(request, path.lower(), data, queue)
            return JSONResponse(answer)
        except MxError as exc:
            status = sw.mx_status if exc.status == 500 else exc.status
            return JSONResponse(exc.body(), status_code=status)
        except Exception:
            log.exception("sandbox: unexpected error in %s %s", request.method, request.url.path)
            body = MxError("Internal", "The API call failed.").body()
            return JSONResponse(body, status_code=500)

    app = Starlette(
        routes=[Route("/{rest:path}", endpoint, methods=ALL_METHODS)],
        middleware=[Middleware(FaultMiddleware)],
    )
    app.state.faults = faults if faults is not None else Faults()
    app.state.switches = live_switches
    app.state.store = store
    app.state.queue = queue
    return app


async def _route(request: Request, path: str, data: LsqData, queue: AsyncQueue) -> Any:
    verb = request.method
    if path.startswith("v2/leadmanagement.svc/") and verb in ("GET", "POST"):
        return await _lead_method(request, data, path.removeprefix("v2/leadmanagement.svc/"))
    if path == "v2/opportunitymanagement.svc/capture" and verb == "POST":
        return data.capture_opportunity(await _json_body(request))
    if path in ("async/lead/capture", "async/opportunity/capture") and verb == "POST":
        return queue.accept(path.split("/")[1], await request.body())
    if path in ("async/lead/status", "async/opportunity/status") and verb == "GET":
        return queue.status(request.query_params.get("requestId", ""))
    raise MxError("InvalidInput", "The API could not be found.", 404)


def sandbox_profile(base_url: str = DEMO_BASE_URL) -> dict[str, Any]:
    """The profile keys that reach this sandbox served at `base_url` (sandbox-only keys)."""
    return {
        "access_key": DEFAULT_KEYS.access_key,
        "secret_key": DEFAULT_KEYS.secret_key,
        "api_key": DEFAULT_KEYS.api_key,
        "async_base_url": f"{base_url.rstrip('/')}/async",
        "async_captures": True,
    }
