"""InfluencerSoft's request plumbing: a key or signature on each call, typed errors, writes sent."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from crmtui.backends.influencersoft.fields import Group
from crmtui.backends.influencersoft.groups import GroupCalls
from crmtui.backends.influencersoft.profile import InfluencerSoftProfile
from crmtui.backends.influencersoft.raw import READ_METHODS
from crmtui.backends.influencersoft.wire import (
    API_1_METHODS,
    AUTH_CODES,
    answer_code,
    auth_problem,
    group_problem,
    protocol_problem,
    sign,
)
from crmtui.errors import CrmError, TransportError, ValidationFailed, VendorError
from crmtui.http.client import VendorHTTP
from crmtui.http.retry import OpKind
from crmtui.model.sanitize import inert
from crmtui.model.sent import SentRecord

Recorder = Callable[[SentRecord], None]


def split_names(value: Any) -> list[str]:
    """Comma-separated text (or a list of names) as a list of non-empty names."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    return [str(item).strip() for item in items if str(item).strip()]


class InfluencerSoftCalls(GroupCalls):
    """The requests half of the InfluencerSoft backend: every call it makes goes through `_send`."""

    settings: InfluencerSoftProfile

    def __init__(
        self, settings: InfluencerSoftProfile, secrets: Mapping[str, str], http: VendorHTTP
    ) -> None:
        super().__init__(settings, secrets, http)
        self.base = f"{settings.base_url.rstrip('/')}/api"
        self._observers: list[Recorder] = []
        self._groups: list[Group] | None = None

    # -- requests -------------------------------------------------------------------------------
    def _key(self) -> str:
        """The RPS key (from the profile's secret store, else the profile file itself)."""
        return self._credential("rps_key")

    def _secret(self) -> str:
        """The key answers are signed with: the API 1.0 secret when set, else the RPS key."""
        return self._api_secret() or self._key()

    async def _post(
        self, method: str, form: Mapping[str, str], op: OpKind, *, sign_with: str = ""
    ) -> httpx.Response:
        secret = sign_with or self._api_secret()
        if secret:
            data = sign(form, self.settings.login, secret)
        else:
            data = {"rpsKey": self._key(), **form}
        return await self.http.request("POST", f"{self.base}/{method}", op=op, data=data)

    def _answer(self, response: httpx.Response) -> tuple[int, str, Any, bool | None]:
        """(code, text, result, signed) from a response, or TransportError/VendorError."""
        if response.status_code != 200:
            raise VendorError(
                f"InfluencerSoft answered HTTP {response.status_code}", status=response.status_code
            )
        try:
            body = response.json()
            code = int(body["error_code"])
            text = inert(str(body.get("error_text", "")))[:300]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise TransportError(
                f"InfluencerSoft answered something that is not its protocol "
                f"({len(response.content)} bytes)"
            ) from None
        given = body.get("hash")
        signed: bool | None = None
        if isinstance(given, str) and given:
            raw_text = str(body.get("error_text", ""))
            expected = hashlib.md5(f"{code}::{raw_text}::{self._secret()}".encode()).hexdigest()
            signed = hmac.compare_digest(given.lower(), expected)
        return code, text, body.get("result"), signed

    def _error(self, code: int, text: str, form: Mapping[str, str]) -> CrmError:
        """The typed error for a non-zero `error_code`."""
        if code in AUTH_CODES:
            return auth_problem(code, text)
        if code in (2, 3):
            return protocol_problem(code, text)
        if code in (100, 600):
            return ValidationFailed({"lead_email": f"{text} (code {code})"})
        if code in (102, 103, 104, 501) and any(k.startswith("rid[") for k in form):
            return group_problem(code, text, "group")
        if code in (103, 501):
            field = "add_to_lists" if form.get("add_to_lists") else "remove_from_lists"
            removed = split_names(form.get("remove_from_lists"))
            if any(gid in text for gid in removed):
                field = "remove_from_lists"
            return ValidationFailed({field: f"{text} (code {code})"})
        return VendorError(f"InfluencerSoft: {text}", code=code)

    async def _send(self, method: str, form: Mapping[str, str], op: OpKind) -> Any:
        """POST one call; record it (with the answer) when it writes; raise typed errors."""
        writes = method.lower() not in READ_METHODS
        email = form.get("lead_email", "")
        shown = {k: str(v) for k, v in self.http.redactor.obj(dict(form)).items()}
        try:
            code, text, result, signed = self._answer(await self._post(method, form, op))
            if code == 1 and method.lower() in API_1_METHODS and not self._api_secret():
                # An API 1.0 function that insists on a signature: sign with the key (code 1 means
                # nothing was done, so sending again is safe).
                answer = await self._post(method, form, op, sign_with=self._key())
                code, text, result, signed = self._answer(answer)
        except CrmError as exc:
            if writes:
                self._record(SentRecord(method, email, shown, None, exc.message, False))
            raise
        code = answer_code(code, text)
        if writes:
            self._record(SentRecord(method, email, shown, code, text, code == 0, signed))
        if code != 0:
            raise self._error(code, text, form)
        return result

    def _record(self, record: SentRecord) -> None:
        for observer in list(self._observers):
            observer(record)

    def on_sent(self, observer: Recorder) -> Callable[[], None]:
        """Tell `observer` about every write call from now on; returns a function to stop."""
        self._observers.append(observer)
        return lambda: self._observers.remove(observer) if observer in self._observers else None
