"""The raw-call console: requests in each vendor's own shape, checked against the profile's mode."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from crmtui.backends import registry
from crmtui.backends.spec import HTTP_METHODS, Kind
from crmtui.errors import ConfigError, UsageError
from crmtui.model.raw import RawRequest, RawResponse
from crmtui.services.write_policy import (
    ConfirmationNeeded,
    Verdict,
    WritePath,
    WriteRefused,
    decide,
)

if TYPE_CHECKING:
    from crmtui.services.session import Session


@dataclass(frozen=True)
class VendorShape:
    """What a vendor's raw request is made of (its spec's `ConsoleShape`), with its name."""

    vendor: str
    kind: Kind
    """rest: method, path, query, headers, JSON body; rpc: method name and params JSON;
    form: method name and form fields."""
    methods: tuple[str, ...]
    """HTTP verbs (rest) or known method names (rpc, form; others may be typed)."""
    hosts: tuple[str, ...] = ("default",)
    example: str = ""
    """A working first request: the path and query (rest), the params (rpc) or form fields."""
    example_method: str = ""
    """The method name that goes with `example` (rpc, form): a read, so it is safe to try."""


def shape_for(vendor: str) -> VendorShape:
    """The request shape of `vendor`, from its spec (REST for a vendor not registered)."""
    try:
        console = registry.spec(vendor).console
    except ConfigError:
        return VendorShape(vendor, "rest", HTTP_METHODS)
    return VendorShape(
        vendor,
        console.kind,
        console.methods,
        console.hosts,
        console.example,
        console.example_method,
    )


def parse_json(text: str | None, what: str = "body") -> Any:
    """JSON typed by the user, or None when blank; UsageError saying where it is wrong."""
    if text is None or not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"the {what} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None


def parse_pairs(items: Sequence[str], sep: str = "=", what: str = "form field") -> dict[str, str]:
    """`name=value` items (or `Name: value` for headers) as a dict."""
    found: dict[str, str] = {}
    for item in items:
        name, ok, value = item.partition(sep)
        if not ok or not name.strip():
            raise UsageError(f"expected a {what} as name{sep}value, not {item!r}")
        found[name.strip()] = value.strip() if sep == ":" else value
    return found


def split_target(target: str) -> tuple[str, dict[str, str]]:
    """`/lead?per_page=5` as ("/lead", {"per_page": "5"})."""
    path, _, query = target.strip().partition("?")
    return path, dict(parse_qsl(query, keep_blank_values=True))


def build_request(
    vendor: str,
    method: str,
    target: str = "",
    *,
    body: str | None = None,
    form: Sequence[str] = (),
    headers: Sequence[str] = (),
    host: str = "default",
) -> RawRequest:
    """A RawRequest from what a user typed, in the shape of `vendor`.

    rest: `GET /lead?per_page=5` (+ JSON body); rpc: `getLeads {"where": {}}` (params in `target`
    or `body`); form: `addupdatelead` (or `POST addupdatelead`), with `k=v` form fields.
    """
    shape = shape_for(vendor)
    if host not in shape.hosts:
        raise UsageError(f"{vendor} has no host {host!r}; it has: {', '.join(shape.hosts)}")
    header_map = parse_pairs(headers, ":", "header")
    if shape.kind == "rpc":
        name = method.strip()
        if not name or not name.replace("_", "").isalnum():
            raise UsageError(f"{name!r} is not a method name (e.g. {shape.methods[0]})")
        params = parse_json(target or body, "params")
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise UsageError('the params must be a JSON object, e.g. {"where": {}}')
        return RawRequest(method=name, body=params, headers=header_map, host=host)
    if shape.kind == "form":
        name = target.strip() if method.strip().upper() in HTTP_METHODS else method.strip()
        if not name or not name.replace("_", "").isalnum():
            raise UsageError(f"{name!r} is not a method name (e.g. {shape.methods[0]})")
        return RawRequest(method=name, headers=header_map, form=parse_pairs(form), host=host)
    verb = method.strip().upper()
    if verb not in shape.methods:
        raise UsageError(f"{method!r} is not one of {', '.join(shape.methods)}")
    path, query = split_target(target)
    if not path:
        raise UsageError("a path is needed, e.g. " + (shape.example or "/lead"))
    return RawRequest(
        method=verb,
        path=path,
        query=query,
        headers=header_map,
        body=parse_json(body),
        form=parse_pairs(form),
        host=host,
    )


def describe_request(request: RawRequest) -> str:
    """One line naming a request, for history lists and confirmations (secrets not included)."""
    if request.form:
        return f"{request.method} " + " ".join(f"{k}=…" for k in request.form)
    if request.path:
        query = "&".join(f"{k}={v}" for k, v in request.query.items())
        host = "" if request.host == "default" else f"[{request.host}] "
        return f"{host}{request.method} {request.path}{'?' + query if query else ''}"
    params = "" if request.body in (None, {}) else " " + json.dumps(request.body)[:80]
    return f"{request.method}{params}"


def verdict(session: Session, request: RawRequest) -> Verdict:
    """The write policy's answer for a raw call: reads always go, writes as the mode says."""
    return decide(session.profile, WritePath.RAW, writes=session.backend.is_write(request))


async def send(session: Session, request: RawRequest, *, confirmed: bool = False) -> RawResponse:
    """Send `request` through the session's backend (same budget, same request log).

    Raises WriteRefused when the profile refuses the write, ConfirmationNeeded when it asks
    first and the call is not `confirmed`.
    """
    answer = verdict(session, request)
    if answer.refused:
        raise WriteRefused(f"{answer.message} ({describe_request(request)} writes)")
    if answer.asks and not confirmed:
        name = session.profile.name
        raise ConfirmationNeeded(f"{describe_request(request)} writes to {name!r}: confirm first")
    return await session.backend.raw(request)


def pretty_body(body: str) -> str:
    """The body as indented JSON when it is JSON, else unchanged."""
    try:
        value = json.loads(body)
    except (json.JSONDecodeError, ValueError):
        return body
    return json.dumps(value, indent=2, ensure_ascii=False)


def pretty_body_of(value: Any) -> str:
    """A JSON value as indented text for the editor."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def request_to_dict(request: RawRequest) -> dict[str, Any]:
    """A RawRequest as plain JSON-able data."""
    return {
        "method": request.method,
        "path": request.path,
        "query": dict(request.query),
        "headers": dict(request.headers),
        "body": request.body,
        "form": dict(request.form),
        "host": request.host,
    }


def request_from_dict(data: Mapping[str, Any]) -> RawRequest:
    """The inverse of `request_to_dict`, tolerant of missing keys."""

    def strings(value: Any) -> dict[str, str]:
        return {str(k): str(v) for k, v in (value or {}).items()} if isinstance(value, dict) else {}

    return RawRequest(
        method=str(data.get("method") or "GET"),
        path=str(data.get("path") or ""),
        query=strings(data.get("query")),
        headers=strings(data.get("headers")),
        body=data.get("body"),
        form=strings(data.get("form")),
        host=str(data.get("host") or "default"),
    )
