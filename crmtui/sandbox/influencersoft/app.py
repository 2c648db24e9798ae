"""The InfluencerSoft emulator: API 2.0 (`rpsKey`) and API 1.0 (hash-signed) calls.

The protocol notes it follows are docs/vendors/influencersoft.md.

Every answer is HTTP 200 with `{"error_code", "error_text", "result", "hash"}`, the hash being
`md5(error_code + "::" + error_text + "::" + secret)` (help.influencersoft.com 360050392312).
Methods: addupdatelead, removetagfromlead, GetAllGroups, GetLeadGroupStatuses, AddLeadToGroup,
DeleteSubscribe (names match without case). The data and its choices live in `data`.

Authentication, in this order (codes and texts from the published table):
- no parameters at all (no URL-encoded or multipart/form-data POST body: query strings and JSON
  carry none) is 2 "no transmitted data"; a body that does not parse is 3 "wrong posted data";
- the login is the host's first label under `influencersoft.com` (any other host, such as the
  sandbox's own, is taken to be the account's domain); another login is 5 "invalid user name";
- API 1.0: a `hash` parameter must equal md5("<the other parameters, URL-encoded as PHP's
  http_build_query writes them>::<login>::<secret>") (help.influencersoft.com 360050868031); the
  parameters as they came on the wire, in their order, are accepted too. API 2.0: `rpsKey` must
  be the key. Neither is 1 "not transferred hash"; a wrong hash or key is 4 "incorrect hash".
  The sandbox account has one key, serving as both the API 2.0 key and the API 1.0 secret.
- The API 1.0 functions (GetAllGroups, GetLeadGroupStatuses, AddLeadToGroup, DeleteSubscribe)
  take the RPS key too, as a user's notes say the API 2.0 names lead to them; with the
  `api1_needs_hash` option they insist on a hash (an RPS key alone is 1).
- `app.state.denied_ip` answers 6, `app.state.disabled` 7 (after the hash check).
An unknown method is 3. Codes with no natural trigger (101, 104, ...) are produced on demand:
put codes in `app.state.forced` and the next calls answer them in turn, storing nothing.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlencode

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crmtui.sandbox.faults import FaultMiddleware, Faults
from crmtui.sandbox.influencersoft.data import (
    DEFAULT_LOGIN,
    DEFAULT_RPS_KEY,
    ERROR_TEXTS,
    GROUPS,
    LABEL,
    LEAD_FIELDS,
    NS,
    IsData,
    IsError,
    answer_hash,
)
from crmtui.sandbox.influencersoft.seed import seed_influencersoft
from crmtui.sandbox.store import Store

__all__ = [
    "DEFAULT_LOGIN",
    "DEFAULT_RPS_KEY",
    "ERROR_TEXTS",
    "GROUPS",
    "LABEL",
    "LEAD_FIELDS",
    "NS",
    "create_app",
    "request_hash",
    "sandbox_profile",
]
VENDOR_DOMAIN = ".influencersoft.com"
API_1_FUNCTIONS = frozenset(
    {"getallgroups", "getleadgroupstatuses", "addleadtogroup", "deletesubscribe"}
)


def request_hash(params: list[tuple[str, str]], login: str, secret: str) -> str:
    """API 1.0's request signature: md5(http_build_query(params) + "::login::secret")."""
    query = urlencode(params, quote_via=quote_plus)
    return hashlib.md5(f"{query}::{login}::{secret}".encode()).hexdigest()


def _raw_without_hash(raw: str) -> str:
    return "&".join(p for p in raw.split("&") if p and not p.lower().startswith("hash="))


def create_app(
    store: Store,
    *,
    faults: Faults | None = None,
    records: int = 10_000,
    seed: int = 0,
    clock: Callable[[], float] = time.time,
    rps_key: str = DEFAULT_RPS_KEY,
    login: str = DEFAULT_LOGIN,
    server_quirks: bool = False,
    api1_needs_hash: bool = False,
    **options: Any,
) -> Starlette:
    """The InfluencerSoft app over `store` (seeded with `records` leads first if it is not)."""
    if not store.is_seeded(NS):
        seed_influencersoft(store, records=records, seed=seed)
    data = IsData(store, clock)
    methods: dict[str, Callable[[dict[str, str]], tuple[str, Any]]] = {
        "addupdatelead": lambda form: ("OK", data.upsert(form)),
        "removetagfromlead": lambda form: ("OK", data.remove_tags(form)),
        "getallgroups": lambda form: ("OK", data.groups()),
        "getleadgroupstatuses": lambda form: ("OK", data.statuses(form)),
        "addleadtogroup": lambda form: data.add_to_group(form, server_quirks),
        "deletesubscribe": lambda form: ("OK", data.delete_subscribe(form)),
    }

    def reply(code: int, text: str, result: Any, signed: bool = True) -> Response:
        body = {
            "error_code": code,
            "error_text": text,
            "result": result,
            "hash": answer_hash(code, text, rps_key) if signed else "",
        }
        return JSONResponse(body)

    def check(request: Request, pairs: list[tuple[str, str]], raw: str) -> None:
        host = (request.url.hostname or "").lower()
        if host.endswith(VENDOR_DOMAIN) and host.split(".")[0] != login.lower():
            raise IsError(5)
        form = dict(pairs)
        given = form.get("hash")
        if given is not None:
            rest = [(k, v) for k, v in pairs if k != "hash"]
            candidates = {
                request_hash(rest, login, rps_key),
                hashlib.md5(f"{_raw_without_hash(raw)}::{login}::{rps_key}".encode()).hexdigest(),
            }
            if not any(hmac.compare_digest(given.lower(), c) for c in candidates):
                raise IsError(4)
        elif "rpsKey" in form and not (
            api1_needs_hash and request.path_params["method"].lower() in API_1_FUNCTIONS
        ):
            if not hmac.compare_digest(form["rpsKey"].encode(), rps_key.encode()):
                raise IsError(4)
        else:
            raise IsError(1)
        if request.app.state.denied_ip:
            raise IsError(6, f"{ERROR_TEXTS[6]} {request.client.host if request.client else ''}")
        if request.app.state.disabled:
            raise IsError(7)

    async def endpoint(request: Request) -> Response:
        try:
            pairs, raw = await _form(request)
            check(request, pairs, raw)
            forced: list[int] = request.app.state.forced
            if forced:
                raise IsError(forced.pop(0))
            handler = methods.get(request.path_params["method"].lower())
            if handler is None:
                raise IsError(3, f"{ERROR_TEXTS[3]}: unknown API function")
            text, result = handler(dict(pairs))
            return reply(0, text, result)
        except IsError as exc:
            return reply(exc.code, exc.text, [], signed=exc.code != 5)

    routes = [
        Route("/api/{method}", endpoint, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/{rest:path}", _not_found, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(FaultMiddleware)])
    app.state.faults = faults if faults is not None else Faults()
    app.state.store = store
    app.state.forced = []
    app.state.denied_ip = False
    app.state.disabled = False
    return app


async def _form(request: Request) -> tuple[list[tuple[str, str]], str]:
    """The posted parameters in order, and the body as sent; 2 or 3 when there are none.

    URL-encoded bodies, and multipart/form-data as PHP's cURL sends an array of
    CURLOPT_POSTFIELDS (seed 002's example); query strings and JSON carry no parameters.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw_bytes = await request.body()
    if request.method != "POST" or not raw_bytes:
        raise IsError(2)
    if kind == "multipart/form-data":
        pairs = _multipart(request.headers["content-type"], raw_bytes)
        return pairs, urlencode(pairs, quote_via=quote_plus)
    if kind != "application/x-www-form-urlencoded":
        raise IsError(2)
    try:
        raw = raw_bytes.decode("utf-8")
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        raise IsError(3) from None
    if not pairs:
        raise IsError(2)
    return pairs, raw


def _multipart(content_type: str, body: bytes) -> list[tuple[str, str]]:
    """The text fields of a multipart/form-data body; 3 when it does not parse."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.message_from_bytes(head + body, policy=email.policy.HTTP)
    if not message.is_multipart():
        raise IsError(3)
    pairs = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            raise IsError(3)
        try:
            pairs.append((name, payload.decode("utf-8")))
        except UnicodeDecodeError:
            raise IsError(3) from None
    if not pairs:
        raise IsError(2)
    return pairs


async def _not_found(request: Request) -> Response:
    return JSONResponse({"error_code": 3, "error_text": "Not found"}, status_code=404)


def sandbox_profile() -> dict[str, Any]:
    """The profile keys that reach this sandbox (its key is sandbox-only)."""
    return {"login": DEFAULT_LOGIN, "rps_key": DEFAULT_RPS_KEY}
