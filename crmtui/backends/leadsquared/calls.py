"""LeadSquared's request plumbing: keys on each call, its two hosts, typed errors, raw calls."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import httpx

from crmtui.backends.base import raw_answer
from crmtui.backends.leadsquared.actions import LeadSquaredActions
from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.backends.leadsquared.wire import (
    NOT_JSON,
    READ_METHODS,
    body_of,
    mx_error,
    rate_limit_check,
)
from crmtui.errors import AuthError, NotFound, TransportError, UsageError
from crmtui.http.client import VendorHTTP
from crmtui.http.retry import OpKind
from crmtui.model.raw import RawRequest, RawResponse


class LeadSquaredCalls(LeadSquaredActions):
    """The requests half of the LeadSquared backend: every call it makes goes through `_send`."""

    settings: LeadSquaredProfile

    def __init__(
        self, settings: LeadSquaredProfile, secrets: Mapping[str, str], http: VendorHTTP
    ) -> None:
        super().__init__(settings, secrets, http)
        self.base = f"{settings.base_url.rstrip('/')}/v2"
        self.async_base = (settings.async_base_url or "").rstrip("/") or None

    # -- requests -------------------------------------------------------------------------------
    def _keys(self) -> dict[str, str]:
        """The access and secret keys as query parameters (each from the profile's secret store,
        else the profile file itself, as every credential is read: `Backend._credential`); a key
        whose reference was never resolved is an AuthError before anything is sent."""
        return {
            "accessKey": self._credential("access_key"),
            "secretKey": self._credential("secret_key"),
        }

    def _url(self, path: str, host: str) -> tuple[str, dict[str, str]]:
        if host == "async":
            if not self.async_base:
                raise UsageError(f"profile {self.settings.name!r} has no async_base_url")
            try:
                api_key = self._credential("api_key")
            except AuthError as exc:
                raise AuthError(f"{exc.message}; the async API needs it") from None
            return f"{self.async_base}/{path.lstrip('/')}", {"x-api-key": api_key}
        return f"{self.base}/{path.lstrip('/')}", {}

    async def _send(
        self,
        method: str,
        path: str,
        *,
        op: OpKind,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        host: str = "default",
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        url, extra = self._url(path, host)
        return await self.http.request(
            method,
            url,
            op=op,
            params={**(params or {}), **self._keys()},
            json=body,
            headers={**(headers or {}), **extra},
            check=rate_limit_check,
        )

    async def _call(
        self, method: str, path: str, *, op: OpKind, what: str = "", **kwargs: Any
    ) -> Any:
        """Send, turn MX error bodies (whatever the HTTP status) into typed errors."""
        response = await self._send(method, path, op=op, **kwargs)
        body = body_of(response)
        status = response.status_code
        if isinstance(body, dict) and (body.get("ExceptionType") or body.get("Status") == "Error"):
            raise mx_error(body, status, what or path)
        if status == 401:
            raise AuthError(f"LeadSquared refused the keys of profile {self.settings.name!r}")
        if status == 404:
            raise NotFound(f"LeadSquared has no such API: {path.split('?')[0]}")
        if status >= 400 or body is NOT_JSON:
            raise TransportError(f"LeadSquared answered HTTP {status} with no usable JSON")
        return body

    # -- raw calls ------------------------------------------------------------------------------
    def is_write(self, request: RawRequest) -> bool:
        """GETs and the read-only POST methods read; everything else writes."""
        if request.method.upper() in ("GET", "HEAD"):
            return False
        method = request.path.rstrip("/").rsplit("/", 1)[-1].lower()
        return not (request.host == "default" and method in READ_METHODS)

    async def raw(self, request: RawRequest) -> RawResponse:
        """A call under /v2 (or the async host), with the keys (and x-api-key) added."""
        method = request.method.upper()
        op = OpKind.CREATE if self.is_write(request) else OpKind.READ
        started = time.monotonic()
        response = await self._send(
            method,
            request.path,
            op=op,
            params=request.query,
            body=request.body,
            host=request.host,
            headers=request.headers,
        )
        return raw_answer(
            self.http,
            response,
            started,
            method,
            json.dumps(request.body) if request.body is not None else "",
        )
