"""InfluencerSoft on the wire: API 1.0 signing, answer codes as typed errors, group statuses.

Codes 1-7 are the published table's account problems (help.influencersoft.com 360050392312):
1 no hash, 4 incorrect hash (a wrong key or secret), 5 invalid user name (login), 6 IP denied,
7 account disabled are AuthError; 2 and 3 (no or wrong posted data) are the request's fault.
The vendor's server answers some AddLeadToGroup refusals with error_code 0 and the refusal as
text ("Has an invalid subscriptions group", "The subscriber is already registered"); those are
read as the documented 103 and 102.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

from crmtui.backends.wire_text import unescape_html
from crmtui.errors import AuthError, CrmError, ValidationFailed, VendorError

AUTH_CODES = frozenset({1, 4, 5, 6, 7})
# API 1.0 functions: documented as hash-signed; if one answers 1 (no hash) to the RPS key, the
# backend signs it with the key (the help centre names one "API key" for the account).
API_1_METHODS = frozenset({"getallgroups", "getleadgroupstatuses", "addleadtogroup"})
# Refusals the vendor's server sends with error_code 0, as the codes its docs give them.
ZERO_CODE_REFUSALS = {
    "has an invalid subscriptions group": 103,
    "the subscriber is already registered": 102,
}
NOT_FOUND_CODES = frozenset({500, 800, 801})


def sign(form: Mapping[str, str], login: str, secret: str) -> dict[str, str]:
    """API 1.0: the parameters plus hash = md5(http_build_query(params) + "::login::secret")."""
    params = dict(form)
    query = urlencode(list(params.items()), quote_via=quote_plus)
    params["hash"] = hashlib.md5(f"{query}::{login}::{secret}".encode()).hexdigest()
    return params


def answer_code(code: int, text: str) -> int:
    """The code an answer means: a refusal sent with code 0 counts as its documented code."""
    if code == 0:
        return ZERO_CODE_REFUSALS.get(text.strip().casefold(), 0)
    return code


def auth_problem(code: int, text: str) -> AuthError:
    """The AuthError for codes 1, 4, 5, 6, 7 with what to check."""
    hint = {
        1: "the request carried no key or hash",
        4: "check the profile's rps_key (and api_secret when signing)",
        5: "check the profile's login (the subdomain of the API host)",
        6: "the account refuses calls from this IP address",
        7: "the account is disabled",
    }.get(code, "")
    return AuthError(f"InfluencerSoft refused the request: {text} (code {code}); {hint}")


def protocol_problem(code: int, text: str) -> CrmError:
    """Codes 2 and 3: InfluencerSoft did not understand what was posted."""
    return VendorError(
        f"InfluencerSoft could not read the request: {text} (code {code})", code=code
    )


def group_problem(code: int, text: str, field: str) -> ValidationFailed:
    """Codes 102-104, 501: the named group cannot take the lead."""
    return ValidationFailed({field: f"{text} (code {code})"})


@dataclass(frozen=True)
class GroupStatus:
    """A lead's standing in one group, as GetLeadGroupStatuses reports it."""

    group_id: str
    title: str
    status: str
    since: str

    @classmethod
    def from_wire(cls, item: Mapping[str, Any]) -> GroupStatus:
        """One `{rass_name, rass_title, rass_status, subscription_time}` item, titles decoded."""
        gid = str(item.get("rass_name") or "")
        return cls(
            gid,
            unescape_html(str(item.get("rass_title") or gid)),
            str(item.get("rass_status") or ""),
            str(item.get("subscription_time") or ""),
        )

    def describe(self) -> str:
        """`Title (status since time)`."""
        since = f" since {self.since}" if self.since else ""
        return f"{self.title} ({self.status or 'unknown'}{since})"
