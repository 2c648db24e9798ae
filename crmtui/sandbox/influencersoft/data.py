"""The emulated InfluencerSoft account: groups, leads with tags and group subscriptions.

Leads live in the shared store (namespace "influencersoft", entity "lead", id = the lower-cased
email) so tests can check what landed. Choices where the public record is silent:
- `addupdatelead` upserts by `lead_email` (case-insensitive); a malformed email is 600. Without an
  email a contact is created only when some other `lead_*` field is given, else 100.
  List ids that are not `digits.digits` are 103, unknown ones 501; the call is refused whole,
  nothing is stored. Tags and lists are added before they are removed.
- `removetagfromlead` takes `lead_email` and `tag` (comma-separated allowed); an unknown lead is
  500, a missing email 100.
- Group subscriptions: each lead holds, per group, a status and the time it subscribed
  ("YYYY-MM-DD HH:MM:SS", UTC). Statuses: "active", "not activated" (AddLeadToGroup with
  `activation=1`, awaiting the subscriber's confirmation) and "unsubscribed" (after
  `remove_from_lists` or DeleteSubscribe; the group stays listed with that status).
- GetLeadGroupStatuses(`email`): the lead's groups as `{rass_name, rass_title, rass_status,
  subscription_time}`; no email is 3, an unknown address 801.
- AddLeadToGroup(`rid[0..n]`, `lead_email`, `lead_name` defaulting to "Dear Friend",
  `lead_phone`, `lead_city`, `tag`, `activation`): creates the lead if needed. Per the published
  table an unknown group is 103 and a lead already in every named group 102; with the
  `server_quirks` option both answer error_code 0 with that text, as the vendor's server code
  does. `activation=1` answers 0 "activation email sent to subscriber".
- DeleteSubscribe(`lead_email`, `rass_name`): the lead's status in that group becomes
  "unsubscribed"; an unknown lead is 500, an unknown group 501.
- Group titles typed in the web UI are stored HTML-encoded (`Q&amp;A`), as the vendor family's
  web UIs do; GROUPS holds them as a user sees them.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from crmtui.sandbox.store import Store

NS = "influencersoft"
LABEL = "InfluencerSoft"
DEFAULT_LOGIN = "sandbox"
DEFAULT_RPS_KEY = "sandbox-rps-key-3c1f9e"  # sandbox-only, not the key of any real account

LEAD_FIELDS: tuple[str, ...] = (
    "lead_email",
    "lead_first_name",
    "lead_middle_name",
    "lead_last_name",
    "lead_phone",
    "lead_utc",
    "lead_description",
    "lead_personal_manager",
    "lead_shipping_address_1",
    "lead_shipping_address_2",
    "lead_shipping_city",
    "lead_shipping_zip",
    "lead_shipping_country_code",
    "lead_shipping_state",
    "lead_billing_address_1",
    "lead_billing_address_2",
    "lead_billing_city",
    "lead_billing_state",
    "lead_billing_zip",
    "lead_billing_country_code",
    "lead_facebook",
    "lead_instagram",
    "lead_whatsapp",
    "lead_telegram",
    "lead_viber",
    "lead_vkontakte",
    "lead_in",
)
# The published table (help.influencersoft.com article 360050392312), verbatim; 0 is "OK" as
# seed 002's sample answer shows.
ERROR_TEXTS: dict[int, str] = {
    0: "OK",
    1: "not transferred hash",
    2: "no transmitted data",
    3: "wrong posted data",
    4: "incorrect hash",
    5: "invalid user name",
    6: "permission denied for ip",
    7: "account disabled",
    100: "email is missing",
    101: "subscription error",
    102: "the subscriber is already registered",
    103: "has an invalid subscriptions group",
    104: "subscription forbidden",
    500: "subscriber not found",
    501: "group not found",
    600: "wrong email",
    800: "group subscribers is not found",
    801: "subscriber with such address is not found",
}
ACTIVATION_SENT = "activation email sent to subscriber"
GROUPS: tuple[tuple[str, str], ...] = (
    ("1594725950.5982672784", "Newsletter"),
    ("1605870811.1867176380", "Webinar: Spring launch"),
    ("1534723950.5982672783", "Customers"),
    ("1611223344.1029384756", "Free course"),
    ("1622334455.5647382910", "VIP club"),
    ("1633445566.9182736450", "Waiting list"),
    ("1644556677.1234567890", 'Q&A <live> "Ask me"'),
)
SEED_GROUP_IDS = tuple(gid for gid, _ in GROUPS[:6])  # the ones seeded leads are drawn into
TAGS = ("webinar", "ebook", "trial", "vip", "newsletter", "partner", "event2024")
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_GROUP_ID = re.compile(r"^\d+\.\d+$")


class IsError(Exception):
    """An API-level error answered as `error_code`/`error_text`."""

    def __init__(self, code: int, text: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.text = text or ERROR_TEXTS.get(code, "Error")


def answer_hash(code: int, text: str, key: str) -> str:
    """The response signature: md5("code::text::key")."""
    return hashlib.md5(f"{code}::{text}::{key}".encode()).hexdigest()


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class IsData:
    """The emulated account: its groups and leads in the store."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock

    def groups(self) -> list[dict[str, Any]]:
        """Every group as `{"rass_name", "rass_title"}`."""
        count = self.store.count(NS, "group")
        return [data for _, data in self.store.list(NS, "group", offset=0, limit=count)]

    def _check_lists(self, ids: list[str]) -> None:
        known = {g["rass_name"] for g in self.groups()}
        for gid in ids:
            if not _GROUP_ID.match(gid):
                raise IsError(103, f"Invalid group: {gid[:60]}")
        for gid in ids:
            if gid not in known:
                raise IsError(501, f"Group not found: {gid[:60]}")

    def upsert(self, form: dict[str, str]) -> list[Any]:
        """addupdatelead: create or update by email, then tags and lists."""
        email = form.get("lead_email", "").strip()
        if email and not _EMAIL.match(email):
            raise IsError(600)
        values = {k: form[k] for k in LEAD_FIELDS if k in form and k != "lead_email"}
        add_lists, remove_lists = (
            _split(form.get("add_to_lists")),
            _split(form.get("remove_from_lists")),
        )
        self._check_lists(add_lists + remove_lists)
        if not email and not values:
            raise IsError(100)
        rid = email.lower() if email else f"noemail-{uuid.uuid4().hex}"
        lead = self.store.get(NS, "lead", rid) or {"tags": [], "lists": []}
        if email:
            lead["lead_email"] = email
        lead.update(values)
        lead["tags"] = _apply(lead.get("tags"), form.get("add_tags"), form.get("remove_tags"))
        self._unsubscribe(lead, remove_lists)
        lead["lists"] = _apply(lead.get("lists"), ",".join(add_lists), ",".join(remove_lists))
        self._subscribe(lead, [g for g in add_lists if g not in remove_lists], "active")
        lead["updated_at"] = self.clock()
        if self.store.get(NS, "lead", rid) is None:
            self.store.insert(NS, "lead", lead, rid)
        else:
            self.store.update(NS, "lead", rid, lead)
        return []

    def _stamp(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(self.clock()))

    def _subscribe(self, lead: dict[str, Any], ids: list[str], status: str) -> None:
        states, times = dict(lead.get("status") or {}), dict(lead.get("times") or {})
        for gid in ids:
            states[gid] = status
            times[gid] = self._stamp()
        lead["status"], lead["times"] = states, times

    def _unsubscribe(self, lead: dict[str, Any], ids: list[str]) -> None:
        states = dict(lead.get("status") or {})
        for gid in ids:
            if gid in states or gid in (lead.get("lists") or []):
                states[gid] = "unsubscribed"
        lead["status"] = states

    def _titles(self) -> dict[str, str]:
        return {g["rass_name"]: g["rass_title"] for g in self.groups()}

    def statuses(self, form: dict[str, str]) -> list[dict[str, str]]:
        """GetLeadGroupStatuses: the lead's groups with status and subscription time."""
        email = (form.get("email") or form.get("lead_email") or "").strip()
        if not email:
            raise IsError(3)
        lead = self.store.get(NS, "lead", email.lower())
        if lead is None:
            raise IsError(801)
        titles = self._titles()
        states: dict[str, str] = dict(lead.get("status") or {})
        times: dict[str, str] = dict(lead.get("times") or {})
        ids = list(dict.fromkeys([*(lead.get("lists") or []), *states]))
        return [
            {
                "rass_name": gid,
                "rass_title": titles.get(gid, gid),
                "rass_status": states.get(gid, "active"),
                "subscription_time": times.get(gid) or str(lead.get("since") or ""),
            }
            for gid in ids
        ]

    def add_to_group(self, form: dict[str, str], quirks: bool) -> tuple[str, list[Any]]:
        """AddLeadToGroup: (answer text, result); IsError for the published error codes."""
        email = form.get("lead_email", "").strip()
        if not email:
            raise IsError(100)
        if not _EMAIL.match(email):
            raise IsError(600)
        ids = [v.strip() for k, v in sorted(form.items()) if k.startswith("rid[") and v.strip()]
        known = self._titles()
        unknown = [gid for gid in ids if gid not in known]
        if not ids or unknown:
            if quirks:
                return "Has an invalid subscriptions group", []
            raise IsError(103)
        lead = self.store.get(NS, "lead", email.lower())
        fresh = lead is None
        lead = lead or {"lead_email": email, "tags": [], "lists": []}
        states = lead.get("status") or {}
        new = [
            g for g in ids if g not in (lead.get("lists") or []) or states.get(g) == "unsubscribed"
        ]
        if not new:
            if quirks:
                return "The subscriber is already registered", []
            raise IsError(102)
        if fresh:
            lead["lead_first_name"] = form.get("lead_name", "").strip() or "Dear Friend"
        for key, target in (("lead_phone", "lead_phone"), ("lead_city", "lead_shipping_city")):
            if form.get(key, "").strip():
                lead[target] = form[key].strip()
        lead["lists"] = _apply(lead.get("lists"), ",".join(new), None)
        lead["tags"] = _apply(lead.get("tags"), form.get("tag"), None)
        activation = form.get("activation", "").strip() in ("1", "true", "yes")
        self._subscribe(lead, new, "not activated" if activation else "active")
        lead["updated_at"] = self.clock()
        if fresh:
            self.store.insert(NS, "lead", lead, email.lower())
        else:
            self.store.update(NS, "lead", email.lower(), lead)
        return (ACTIVATION_SENT if activation else ERROR_TEXTS[0]), []

    def delete_subscribe(self, form: dict[str, str]) -> list[Any]:
        """DeleteSubscribe: the lead leaves one group (its status there: unsubscribed)."""
        email = form.get("lead_email", "").strip()
        if not email:
            raise IsError(100)
        lead = self.store.get(NS, "lead", email.lower())
        if lead is None:
            raise IsError(500)
        gid = form.get("rass_name", "").strip()
        if gid not in self._titles():
            raise IsError(501)
        self._unsubscribe(lead, [gid])
        lead["lists"] = _apply(lead.get("lists"), None, gid)
        self.store.update(NS, "lead", email.lower(), lead)
        return []

    def remove_tags(self, form: dict[str, str]) -> list[Any]:
        """removetagfromlead: drop the given tags from the lead with that email."""
        email = form.get("lead_email", "").strip()
        if not email:
            raise IsError(100)
        if not _EMAIL.match(email):
            raise IsError(600)
        lead = self.store.get(NS, "lead", email.lower())
        if lead is None:
            raise IsError(500)
        tags = _apply(lead.get("tags"), None, form.get("tag") or form.get("tags"))
        self.store.update(NS, "lead", email.lower(), {"tags": tags, "updated_at": self.clock()})
        return []


def _apply(current: Any, add: str | None, remove: str | None) -> list[str]:
    """`current` with `add` appended (no duplicates) and `remove` taken out, order kept."""
    items = [str(t) for t in current] if isinstance(current, list) else []
    for tag in _split(add):
        if tag not in items:
            items.append(tag)
    dropped = set(_split(remove))
    return [t for t in items if t not in dropped]
