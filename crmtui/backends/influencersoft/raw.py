"""InfluencerSoft raw calls from the console: a method name and a form, the key added."""

from __future__ import annotations

import json
import time
from abc import abstractmethod
from collections.abc import Mapping

import httpx

from crmtui.backends.base import Backend, raw_answer
from crmtui.errors import UsageError
from crmtui.http.retry import OpKind
from crmtui.model.raw import RawRequest, RawResponse

READ_METHODS = frozenset({"getallgroups", "getleadgroupstatuses"})


class RawCalls(Backend):
    """The raw-call half of the InfluencerSoft backend."""

    @abstractmethod
    async def _post(
        self, method: str, form: Mapping[str, str], op: OpKind, *, sign_with: str = ""
    ) -> httpx.Response:
        """POST one API method with the credentials added."""

    def _api_secret(self) -> str | None:
        """API 1.0's secret, when the profile sets one (its secret store, else the profile file
        itself, as every credential is read: `Backend._credential`)."""
        given = self.secrets.get("api_secret", getattr(self.settings, "api_secret", None))
        if not given:
            return None  # not set (or set empty): calls carry the RPS key instead
        return self._credential("api_secret")  # a reference never resolved is an AuthError

    def _credential_shown(self) -> dict[str, str]:
        """What carries the credential, masked: the API 1.0 hash when signing, else rpsKey."""
        return {"hash": "***"} if self._api_secret() else {"rpsKey": "***"}

    # -- raw calls ------------------------------------------------------------------------------
    async def raw(self, request: RawRequest) -> RawResponse:
        """POST `request.method` (an API method name) with `request.form` and the key added."""
        method = request.method.strip().strip("/")
        if not method or "/" in method:
            raise UsageError(f"{request.method!r} is not an InfluencerSoft API method")
        op = OpKind.READ if method.lower() in READ_METHODS else OpKind.CREATE
        started = time.monotonic()
        form = {str(k): str(v) for k, v in request.form.items()}
        response = await self._post(method, form, op)
        return raw_answer(
            self.http,
            response,
            started,
            "POST",
            json.dumps(self.http.redactor.obj({**form, **self._credential_shown()})),
        )

    def is_write(self, request: RawRequest) -> bool:
        """Every method but the known reads (GetAllGroups, GetLeadGroupStatuses) writes."""
        return request.method.strip().strip("/").lower() not in READ_METHODS
