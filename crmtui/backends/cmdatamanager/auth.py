"""CMDataManager's sign-in: a bearer token from /authenticate, refreshed shortly before its
x-token-reset, one refresh in flight at a time, and kept between runs (`crmtui.backends.tokens`)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from crmtui.backends.cmdatamanager.profile import CMDataManagerProfile
from crmtui.backends.tokens import TokenFile
from crmtui.errors import AuthError, TransportError, VendorError
from crmtui.http.client import VendorHTTP
from crmtui.http.retry import OpKind

CREDENTIALS = ("client_id", "client_secret", "username", "password")  # /authenticate's headers
REFRESH_MARGIN = 60.0  # refresh a token this many seconds before x-token-reset


class TokenAuth:
    """The token half of the CMDataManager backend (mixed into it)."""

    settings: CMDataManagerProfile
    secrets: dict[str, str]
    http: VendorHTTP
    base: str
    _credential: Callable[[str], str]  # Backend's

    def _init_tokens(self) -> None:
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()
        self._kept: TokenFile | None = None
        self._saving: set[asyncio.Task[None]] = set()

    def keep_token(self, store: TokenFile) -> None:
        """Reuse an earlier run's token until its x-token-reset (unless `keep_token = false`)."""
        if self.settings.keep_token:
            self._kept = store

    def _account(self) -> list[str]:
        """What a kept token was issued for: the API and the four credentials (tagged, one-way)."""
        return [self.base, *(self._credential(key) for key in CREDENTIALS)]

    async def _load_kept(self) -> None:
        """Take the token an earlier run kept, if it is this account's and not about to expire."""
        if self._kept is None:
            return
        found = await asyncio.to_thread(self._kept.load, self._account(), REFRESH_MARGIN)
        if found is not None:
            self.http.redactor.add(found[0])  # masked before it is ever sent
            self._token, self._token_expires = found

    def _keep(self) -> None:
        """Save the current token for the next run, off the event loop (an fsync'd write)."""
        if self._kept is None or self._token is None:
            return
        save = self._kept.save
        task = asyncio.ensure_future(
            asyncio.to_thread(save, self._account(), self._token, self._token_expires)
        )
        self._saving.add(task)
        task.add_done_callback(self._saving.discard)

    async def _authenticate(self) -> None:
        headers = {name: self._credential(name) for name in CREDENTIALS}
        response = await self.http.request(
            "POST", f"{self.base}/authenticate", op=OpKind.IDEMPOTENT, headers=headers
        )
        if response.status_code in (400, 401, 403):
            if self._kept is not None:  # a refused token is replaced by the next sign-in's
                self._kept.drop()
            raise AuthError(
                f"CMDataManager refused the credentials of profile {self.settings.name!r} "
                f"(HTTP {response.status_code}: {_message(response)})"
            )
        if response.status_code != 200:
            raise VendorError(
                f"CMDataManager could not issue a token: {_message(response)}",
                status=response.status_code,
            )
        body = self._json(response)
        token = body.get("token") if isinstance(body, dict) else None
        if response.status_code != 200 or not isinstance(token, str) or not token:
            raise AuthError(f"CMDataManager gave no token (HTTP {response.status_code})")
        self.http.redactor.add(token)
        self._token = token
        self._token_expires = _token_reset(response) or time.time() + 3600.0
        self._keep()

    async def _bearer(self, *, stale: str | None = None) -> str:
        """A valid token; one refresh in flight however many requests wait for it."""
        if (
            self._token
            and self._token != stale
            and time.time() < self._token_expires - REFRESH_MARGIN
        ):
            return self._token
        async with self._token_lock:
            if self._token is None and stale is None:
                await self._load_kept()
            if not self._usable(stale):
                await self._authenticate()
            assert self._token is not None
            return self._token

    def _usable(self, stale: str | None) -> bool:
        if not self._token or self._token == stale:
            return False
        return time.time() < self._token_expires - REFRESH_MARGIN

    def _json(self, response: httpx.Response) -> Any:
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            kind = response.headers.get("content-type", "unknown content")
            raise TransportError(
                f"CMDataManager answered HTTP {response.status_code} with something that is not "
                f"JSON ({kind}, {len(response.content)} bytes)"
            ) from None
        if not isinstance(body, dict):  # every CMDataManager answer is an object
            raise TransportError(
                f"CMDataManager answered HTTP {response.status_code} with JSON that is not an "
                f"object ({type(body).__name__})"
            )
        return body


def _token_reset(response: httpx.Response) -> float | None:
    value = response.headers.get("x-token-reset")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return f"HTTP {response.status_code}"
    if isinstance(body, dict) and body.get("Message"):
        return str(body["Message"])[:300]
    return f"HTTP {response.status_code}"
