"""SharpSpring's request plumbing: credentials in the query, the call envelope, its typed errors."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from crmtui.backends.base import Backend, raw_answer
from crmtui.backends.page_guard import PageGuard
from crmtui.backends.sharpspring import wire
from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.errors import AuthError, ConfigError, TransportError, UsageError, VendorError
from crmtui.http.client import VendorHTTP
from crmtui.http.retry import OpKind
from crmtui.model.raw import RawRequest, RawResponse


class SharpSpringCalls(Backend):
    """The requests half of the SharpSpring backend: every method it calls goes through `post`."""

    settings: SharpSpringProfile

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

    # -- requests -------------------------------------------------------------------------------
    def _query(self) -> dict[str, str]:
        return {
            "accountID": self._credential("account_id"),
            "secretKey": self._credential("secret_key"),
        }

    async def post(self, method: str, params: Any, op: OpKind) -> tuple[httpx.Response, str]:
        rid = f"crmtui-{next(self._ids)}"
        body = {"method": method, "params": params, "id": rid}
        response = await self.http.request(
            "POST", self.url, op=op, params=self._query(), json=body, check=wire.check_limits
        )
        return response, rid

    async def call(self, method: str, params: Mapping[str, Any], op: OpKind = OpKind.READ) -> Any:
        """Call one method; returns its `result`, or raises the typed error for its `error`."""
        response, rid = await self.post(method, dict(params), op)
        return self.answer(method, response, rid)

    def answer(self, method: str, response: httpx.Response, rid: str) -> Any:
        """The `result` of the answer to call `rid` of `method`, or the typed error for its
        `error` (no I/O: a large answer can be read in a worker thread)."""
        if response.status_code == 401:
            raise AuthError(
                f"SharpSpring refused the account of profile {self.settings.name!r} (HTTP 401)"
            )
        if response.status_code != 200:
            raise VendorError(f"SharpSpring answered HTTP {response.status_code}", status=500)
        body = wire.decode(response)
        if not isinstance(body, dict) or ("result" not in body and "error" not in body):
            raise TransportError("SharpSpring answered with something that is not its envelope")
        if body.get("id") is not None and str(body.get("id")) != rid:
            raise TransportError(f"SharpSpring answered another request ({method})")
        error = body.get("error")
        if body.get("result") is None and isinstance(error, dict):
            raise wire.api_error(method, error)
        return body.get("result")

    async def _all(self, method: str, key: str, where: Mapping[str, str]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        guard = PageGuard(method, "SharpSpring")
        while True:
            params = {"where": dict(where), "limit": 500, "offset": len(items)}
            page = wire.items(await self.call(method, params), key)
            if not guard.take(page):
                return items
            items.extend(page)
            if len(page) < 500:
                return items

    # -- raw calls ------------------------------------------------------------------------------
    async def raw(self, request: RawRequest) -> RawResponse:
        """Any method with any params (like the vendor's "Make an API Call"), credentials added;
        the answer shown redacted."""
        method = request.method.strip()
        if not method:
            raise UsageError("name the SharpSpring method to call, e.g. getLeads")
        op = OpKind.READ if not self.is_write(request) else OpKind.IDEMPOTENT
        if method.lower().startswith("create"):
            op = OpKind.CREATE
        params = request.body if request.body is not None else {}
        started = time.monotonic()
        response, rid = await self.post(method, params, op)
        shown = {"method": method, "params": params, "id": rid}
        return raw_answer(self.http, response, started, "POST", json.dumps(shown))

    def is_write(self, request: RawRequest) -> bool:
        """Every method but the get* ones writes."""
        return not request.method.strip().lower().startswith("get")
