"""The CMDataManager emulator: an ASGI app speaking docs/vendors/cmdatamanager.md over the store.

Base path `/api/v1` (other versions are 404). The data operations and their documented choices
live in `api`, the entities and field metadata in `schema`. Choices made here, where the
seed is silent:
- Errors are JSON `{"Message": "..."}`, with `"Errors": {"Field": "reason"}` on validation 400s;
  unknown paths and unsupported methods are 404 (the seed lists no 405); unexpected failures are
  500 `{"Message": "An unexpected error has occurred."}`.
- `POST /authenticate`: a missing or empty credential header is 400, wrong credentials 401
  (`{"Message": "Authentication failed."}`, never echoing what was sent). Each call issues a new
  token; earlier tokens stay valid until they expire, `token_ttl` seconds after issue.
- The hourly budget is one per app (one API user). Every request under `/api/` counts, the
  authenticate call and failed ones included, except those refused with 429. The window is the
  clock hour; `x-rate-limit-reset` is its end. 429 carries no Retry-After: the seed's clients
  read `x-rate-limit-reset`. Order of checks: budget (429), then token (401), then the request.
- `x-token-reset` is sent whenever the request carried a valid token (and with a new token);
  under the `Faults.token_ttl` fault a token stops working that many seconds after issue while
  `x-token-reset` still announces the normal expiry ("early expiry").
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crmtui.sandbox.cmdatamanager.api import ApiError, CmdData, parse_body
from crmtui.sandbox.cmdatamanager.seed import seed_cmdatamanager
from crmtui.sandbox.faults import FaultMiddleware, Faults
from crmtui.sandbox.rate import CalendarWindow
from crmtui.sandbox.store import Store

CMD_NS = "cmdatamanager"
LABEL = "CMDataManager"
API_VERSION = "v1"
ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CMDCredentials:
    """The four values `/authenticate` accepts (sandbox-only, not secrets of any real account)."""

    client_id: str
    client_secret: str = field(repr=False)
    username: str
    password: str = field(repr=False)


DEFAULT_CREDENTIALS = CMDCredentials(
    client_id="sandbox-client",
    client_secret="sandbox-client-secret",
    username="sandbox@example.test",
    password="sandbox-password",
)
_CRED_HEADERS = ("client_id", "client_secret", "username", "password")


@dataclass
class _Gate:
    """Tokens and the hourly budget of the one emulated API user."""

    credentials: CMDCredentials
    limit: int
    ttl: float
    tokens: dict[str, tuple[float, int]] = field(default_factory=dict)
    hour: CalendarWindow = field(init=False)

    def __post_init__(self) -> None:
        self.hour = CalendarWindow(self.limit, 3600)

    def take(self, now: float, exhausted: bool) -> bool:
        """Spend one call of this hour's budget; False when none is left."""
        return self.hour.take(now, exhausted)

    def rate_headers(self, exhausted: bool) -> dict[str, str]:
        """The x-rate-limit-* headers as of now."""
        return {
            "x-rate-limit-limit": str(self.limit),
            "x-rate-limit-remaining": str(self.hour.remaining(exhausted)),
            "x-rate-limit-reset": str(int(self.hour.resets_at())),
        }

    def issue(self, now: float, generation: int) -> str:
        """A new token (dropping expired ones)."""
        self.tokens = {t: v for t, v in self.tokens.items() if now < v[0] + self.ttl}
        token = secrets.token_urlsafe(32)
        self.tokens[token] = (now, generation)
        return token

    def check(self, request: Request, now: float, faults: Faults) -> float:
        """When the bearer token stops working; 401 when missing, unknown or expired."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "Authorization token missing.")
        found = self.tokens.get(token.strip())
        if found is None:
            raise ApiError(401, "Authorization token invalid.")
        issued, generation = found
        early = faults.token_ttl
        lifetime = self.ttl if early is None else min(self.ttl, early)
        if now >= issued + lifetime or generation < faults.token_generation:
            raise ApiError(401, "Authorization token expired.")
        return issued + self.ttl

    def authenticate(self, request: Request, now: float, generation: int) -> dict[str, str]:
        """Check the credential headers and return the new token's body."""
        given = {h: request.headers.get(h, "") for h in _CRED_HEADERS}
        missing = [h for h, v in given.items() if not v]
        if missing:
            raise ApiError(400, f"Missing header(s): {', '.join(missing)}.")
        ok = all(
            hmac.compare_digest(given[h].encode(), getattr(self.credentials, h).encode())
            for h in _CRED_HEADERS
        )
        if not ok:
            raise ApiError(401, "Authentication failed.")
        return {"token": self.issue(now, generation)}


Handler = Callable[[Request, CmdData], Awaitable[Response]]


def _json(body: Any, status: int = 200) -> Response:
    return JSONResponse(body, status_code=status)


async def _collection(request: Request, data: CmdData) -> Response:
    entity = data.entity(request.path_params["entity"])
    if request.method in ("GET", "HEAD"):
        return _json(data.list(entity, request.query_params))
    body = parse_body(await request.body())
    return _json({"ExternalID": data.create(entity, body)}, 201)


async def _item(request: Request, data: CmdData) -> Response:
    entity, rid = data.entity(request.path_params["entity"]), request.path_params["rid"]
    if request.method in ("GET", "HEAD"):
        if rid.lower() == "fields":
            return _json(data.fields(entity, request.query_params))
        return _json(data.get(entity, rid))
    if request.method == "PUT":
        data.update(entity, rid, parse_body(await request.body()))
        return _json({"Message": "Record updated."})
    if request.method == "DELETE":
        data.delete(entity, rid)
        return _json({"Message": "Record deleted."})
    raise ApiError(404, "Not found.")


async def _linked(request: Request, data: CmdData) -> Response:
    entity, rid = data.entity(request.path_params["entity"]), request.path_params["rid"]
    child = request.path_params["child"].lower()
    if child not in ("task", "opportunity"):
        raise ApiError(404, "Not found.")
    body = parse_body(await request.body())
    return _json({"ExternalID": data.create_linked(entity, rid, child, body)}, 201)


async def _action(request: Request, data: CmdData) -> Response:
    entity, action = request.path_params["entity"].lower(), request.path_params["action"].lower()
    rid = request.path_params["rid"]
    body = parse_body(await request.body(), optional=True)
    if (entity, action) == ("lead", "convert"):
        return _json(data.convert(rid, body))
    if (entity, action) == ("task", "close"):
        data.close(rid, body)
        return _json({"Message": "Record updated."})
    raise ApiError(404, "Not found.")


async def _nowhere(request: Request, data: CmdData) -> Response:
    raise ApiError(404, "Not found.")


def create_app(
    store: Store,
    *,
    credentials: CMDCredentials = DEFAULT_CREDENTIALS,
    faults: Faults | None = None,
    hourly_limit: int = 5000,
    token_ttl: float = 3600.0,
    records: int = 10_000,
    seed: int = 0,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The CMDataManager app over `store` (seeded with `records` leads first if it is not)."""
    if not store.is_seeded(CMD_NS):
        seed_cmdatamanager(store, records=records, seed=seed)
    data = CmdData(store, clock)
    gate = _Gate(credentials, hourly_limit, token_ttl)

    def api(
        handler: Handler | None, *, auth: bool = True
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            now = clock()
            live: Faults = request.app.state.faults
            exhausted = live.rate_limit_exhausted
            token_reset: float | None = None
            try:
                if not gate.take(now, exhausted):
                    raise ApiError(429, "API calls limit reached for this hour.")
                if request.path_params.get("version", "").lower() != API_VERSION:
                    raise ApiError(404, "Unknown API version.")
                if handler is None:
                    body = gate.authenticate(request, now, live.token_generation)
                    token_reset = now + gate.ttl
                    response = _json(body)
                else:
                    if auth:
                        token_reset = gate.check(request, now, live)
                    response = await handler(request, data)
            except ApiError as exc:
                response = _json(exc.body(), exc.status)
            except Exception:
                log.exception(
                    "sandbox: unexpected error in %s %s", request.method, request.url.path
                )
                response = _json({"Message": "An unexpected error has occurred."}, 500)
            response.headers.update(gate.rate_headers(exhausted))
            if token_reset is not None:
                response.headers["x-token-reset"] = str(int(token_reset))
            return response

        return endpoint

    base = "/api/{version}"
    routes = [
        Route(f"{base}/authenticate", api(None, auth=False), methods=["POST"]),
        Route(f"{base}/{{entity}}", api(_collection), methods=["GET", "POST"]),
        Route(f"{base}/{{entity}}/{{rid}}", api(_item), methods=["GET", "PUT", "DELETE"]),
        Route(f"{base}/{{entity}}/{{rid}}/{{child}}", api(_linked), methods=["POST"]),
        Route(f"{base}/{{entity}}/{{action}}/{{rid}}", api(_action), methods=["PUT"]),
        Route(f"{base}/{{rest:path}}", api(_nowhere), methods=ALL_METHODS),
        Route("/{rest:path}", _not_found, methods=ALL_METHODS),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(FaultMiddleware)])
    app.state.faults = faults if faults is not None else Faults()
    app.state.store = store
    app.state.credentials = credentials
    return app


async def _not_found(request: Request) -> Response:
    return _json({"Message": "Not found."}, 404)


def sandbox_profile() -> dict[str, Any]:
    """The profile keys that reach this sandbox (its credentials are sandbox-only)."""
    from crmtui.sandbox.cmdatamanager.schema import CUSTOM_ENTITY

    creds = DEFAULT_CREDENTIALS
    return {
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "username": creds.username,
        "password": creds.password,
        "api_version": API_VERSION,
        "custom_entities": [CUSTOM_ENTITY],
    }
