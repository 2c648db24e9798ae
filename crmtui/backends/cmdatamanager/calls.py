"""CMDataManager's request plumbing: a bearer on every call, answers as typed errors, raw calls."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import httpx

from crmtui.backends.base import Backend, raw_answer
from crmtui.backends.cmdatamanager.auth import TokenAuth, _message, _token_reset
from crmtui.backends.cmdatamanager.profile import CMDataManagerProfile
from crmtui.errors import AuthError, NotFound, RateLimited, ValidationFailed, VendorError
from crmtui.http.client import VendorHTTP
from crmtui.http.retry import OpKind
from crmtui.model.raw import RawRequest, RawResponse


class CMDataManagerCalls(TokenAuth, Backend):
    """The requests half of the CMDataManager backend: every call it makes goes through `_send`."""

    settings: CMDataManagerProfile

    def __init__(
        self, settings: CMDataManagerProfile, secrets: Mapping[str, str], http: VendorHTTP
    ) -> None:
        super().__init__(settings, secrets, http)
        self.base = f"{settings.base_url.rstrip('/')}/api/{settings.api_version}"
        self._init_tokens()

    # -- requests -------------------------------------------------------------------------------
    async def _send(
        self,
        method: str,
        path: str,
        *,
        op: OpKind,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """One authenticated request; a 401 gets one token refresh and one retry, never a loop."""
        token = await self._bearer()
        for attempt in range(2):
            all_headers = {**(headers or {}), "Authorization": f"Bearer {token}"}
            response = await self.http.request(
                method, f"{self.base}{path}", op=op, params=params, json=body, headers=all_headers
            )
            reset = _token_reset(response)
            if reset and token == self._token:
                self._token_expires = reset
            if response.status_code != 401 or attempt:
                return response
            token = await self._bearer(stale=token)
        return response

    async def _call(
        self,
        method: str,
        path: str,
        *,
        op: OpKind,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        what: str = "",
    ) -> Any:
        """Send, check the status and return the decoded JSON body."""
        response = await self._send(method, path, op=op, params=params, body=body)
        status = response.status_code
        if status in (200, 201):
            return self._json(response)
        message = _message(response)
        if status == 400:
            errors = _field_errors(response)
            if errors:
                raise ValidationFailed(errors)
            raise VendorError(f"CMDataManager refused the request: {message}", status=400)
        if status == 401:
            raise AuthError(f"CMDataManager refused the token after a refresh: {message}")
        if status == 404:
            raise NotFound(f"{what or path} not found ({message})")
        if status == 429:
            raise RateLimited(
                f"CMDataManager's API limit is spent: {message}", retry_after=_retry_after(response)
            )
        raise VendorError(f"CMDataManager failed: {message}", status=status)

    # -- raw calls ------------------------------------------------------------------------------
    async def raw(self, request: RawRequest) -> RawResponse:
        """Any REST call under /api/{version}, with the bearer token added for the user."""
        method = request.method.upper()
        op = {"GET": OpKind.READ, "POST": OpKind.CREATE}.get(method, OpKind.IDEMPOTENT)
        path = "/" + request.path.lstrip("/")
        started = time.monotonic()
        response = await self._send(
            method,
            path,
            op=op,
            params=request.query or None,
            body=request.body,
            headers=request.headers,
        )
        return raw_answer(
            self.http,
            response,
            started,
            method,
            json.dumps(request.body) if request.body is not None else "",
        )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("x-rate-limit-reset")
    try:
        return max(0.0, float(value) - time.time()) if value else None
    except ValueError:
        return None


def _field_errors(response: httpx.Response) -> dict[str, str]:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    errors = body.get("Errors") if isinstance(body, dict) else None
    if isinstance(errors, dict):
        return {str(k): str(v) for k, v in errors.items()}
    return {}
