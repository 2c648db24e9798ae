"""The LeadSquared emulator: the v2 LeadManagement/OpportunityManagement API and the async host.

Routes: `/v2/LeadManagement.svc/{Method}`, `/v2/OpportunityManagement.svc/{Method}` and, standing
in for the separate async host, everything under `/async/` (`sandbox_profile()` gives that as
`async_base_url`). The methods live in `methods`, leads in `leads`, searches in `search`,
opportunities in `opportunities`, the async queue in `async_api`, the fields in `schema`.
The protocol notes it follows are docs/vendors/leadsquared.md. Choices made here, where the
public record is silent:
- Method names match case-insensitively; an unknown one is 404 (MX body); a wrong verb is 404.
- Every call needs `accessKey` and `secretKey`, in the query string (names in any case, as WCF
  reads them) or as the `x-LSQ-AccessKey` / `x-LSQ-SecretKey` headers (the query wins when both
  are sent), and async calls also the `x-api-key` header; a missing or wrong one is 401 with an
  MXUnAuthorisedAccessException body that never echoes what was sent.
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
from crmtui.sandbox.leadsquared.async_api import AsyncQueue, Switches
from crmtui.sandbox.leadsquared.leads import LsqData, MxError
from crmtui.sandbox.leadsquared.methods import lead_method, opportunity_method, query
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
        q, h = query(request), request.headers
        access = q.get("accesskey") or h.get("x-lsq-accesskey")
        secret = q.get("secretkey") or h.get("x-lsq-secretkey")
        ok = _same(access, keys.access_key) and _same(secret, keys.secret_key)
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
        return await lead_method(request, data, path.removeprefix("v2/leadmanagement.svc/"))
    if path.startswith("v2/opportunitymanagement.svc/") and verb in ("GET", "POST"):
        method = path.removeprefix("v2/opportunitymanagement.svc/")
        return await opportunity_method(request, data, method)
    if path in ("async/lead/capture", "async/opportunity/capture") and verb == "POST":
        return queue.accept(path.split("/")[1], await request.body())
    if path in ("async/lead/status", "async/opportunity/status") and verb == "GET":
        return queue.status(query(request).get("requestid", ""))
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
