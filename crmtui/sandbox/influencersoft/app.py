"""The InfluencerSoft emulator: `addupdatelead`, `removetagfromlead` and `GetAllGroups`.

The protocol notes it follows are docs/vendors/influencersoft.md.

Every answer is HTTP 200 with `{"error_code", "error_text", "result", "hash"}`, the hash being
`md5(error_code + "::" + error_text + "::" + rps_key)` as the vendor's API articles describe.
Leads live in the shared store (namespace "influencersoft", entity "lead", id = the lower-cased
email) so tests can check what landed, though the API itself offers no way to read them.
Choices made where the public record is silent:
- Requests must be POST and form-encoded (anything else: code 1, "Bad request"); a missing
  `rpsKey` is code 1, a wrong one code 2 ("Wrong hash/key"). Unknown methods are code 1.
  Method names match without case (`GetAllGroups` and `getallgroups` alike).
- `addupdatelead` upserts by `lead_email` (case-insensitive); a malformed email is 600. Without an
  email a contact is created only when some other `lead_*` field is given, else 100.
  List ids that are not `digits.digits` are 103 ("invalid group"), unknown ones 501; the call is
  refused whole, nothing is stored. Tags and lists are added before they are removed.
- `removetagfromlead` takes `lead_email` and `tag` (comma-separated allowed); an unknown lead is
  500, a missing email 100.
- Codes with no natural trigger here (3-7, 101, 102, 104) are produced on demand: put codes in
  `app.state.forced` and the next calls answer them in turn, storing nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crmtui.sandbox.faults import FaultMiddleware, Faults
from crmtui.sandbox.seed import FakeData
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
ERROR_TEXTS: dict[int, str] = {
    0: "OK",
    1: "Bad request",
    2: "Wrong hash/key",
    3: "User not found",
    4: "Access from this IP is not allowed",
    5: "Account is blocked",
    6: "API access is disabled",
    7: "Account has expired",
    100: "Email is missing",
    101: "Subscription error",
    102: "Already registered",
    103: "Invalid group",
    104: "Subscription forbidden",
    500: "Subscriber not found",
    501: "Group not found",
    600: "Wrong email",
}
GROUPS: tuple[tuple[str, str], ...] = (
    ("1594725950.5982672784", "Newsletter"),
    ("1605870811.1867176380", "Webinar: Spring launch"),
    ("1534723950.5982672783", "Customers"),
    ("1611223344.1029384756", "Free course"),
    ("1622334455.5647382910", "VIP club"),
    ("1633445566.9182736450", "Waiting list"),
)
_GROUP_IDS = tuple(gid for gid, _ in GROUPS)
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


def seed_influencersoft(store: Store, *, records: int = 10_000, seed: int = 0) -> None:
    """Groups and `records` leads with tags and lists, drawn from `seed` (one transaction each)."""
    fake = FakeData(seed)
    store.insert_many(
        NS, "group", ((rid, {"rass_name": rid, "rass_title": t}) for rid, t in GROUPS)
    )
    rows: list[tuple[str, dict[str, Any]]] = []
    used: set[str] = set()
    for number in range(records):
        first, last = fake.person()
        email = fake.email(first, last)
        if email in used:
            email = f"{number}.{email}"
        used.add(email)
        city, postcode, _, prefix = fake.place()
        data: dict[str, Any] = {
            "lead_email": email,
            "lead_first_name": first,
            "lead_last_name": last,
            "lead_phone": fake.phone(prefix),
            "lead_shipping_city": city,
            "lead_shipping_zip": postcode,
            "tags": sorted({fake.pick(TAGS) for _ in range(fake.num(0, 2))}),
            "lists": sorted({fake.pick(_GROUP_IDS) for _ in range(fake.num(0, 2))}),
        }
        rows.append((email.lower(), data))
    store.insert_many(NS, "lead", rows)
    store.mark_seeded(NS, {"records": records, "seed": seed})


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
        lead["lists"] = _apply(lead.get("lists"), ",".join(add_lists), ",".join(remove_lists))
        lead["updated_at"] = self.clock()
        if self.store.get(NS, "lead", rid) is None:
            self.store.insert(NS, "lead", lead, rid)
        else:
            self.store.update(NS, "lead", rid, lead)
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


def create_app(
    store: Store,
    *,
    faults: Faults | None = None,
    records: int = 10_000,
    seed: int = 0,
    clock: Callable[[], float] = time.time,
    rps_key: str = DEFAULT_RPS_KEY,
    **options: Any,
) -> Starlette:
    """The InfluencerSoft app over `store` (seeded with `records` leads first if it is not)."""
    if not store.is_seeded(NS):
        seed_influencersoft(store, records=records, seed=seed)
    data = IsData(store, clock)
    methods: dict[str, Callable[[dict[str, str]], list[Any]]] = {
        "addupdatelead": data.upsert,
        "removetagfromlead": data.remove_tags,
        "getallgroups": lambda form: data.groups(),
    }

    def reply(code: int, text: str, result: Any) -> Response:
        body = {
            "error_code": code,
            "error_text": text,
            "result": result,
            "hash": answer_hash(code, text, rps_key),
        }
        return JSONResponse(body)

    async def endpoint(request: Request) -> Response:
        try:
            form = await _form(request)
            key = form.get("rpsKey")
            if not key:
                raise IsError(1, "Bad request: rpsKey is required")
            if not hmac.compare_digest(key.encode(), rps_key.encode()):
                raise IsError(2)
            forced: list[int] = request.app.state.forced
            if forced:
                raise IsError(forced.pop(0))
            handler = methods.get(request.path_params["method"].lower())
            if handler is None:
                raise IsError(1, "Bad request: unknown API method")
            return reply(0, "OK", handler(form))
        except IsError as exc:
            return reply(exc.code, exc.text, [])

    routes = [
        Route("/api/{method}", endpoint, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/{rest:path}", _not_found, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(FaultMiddleware)])
    app.state.faults = faults if faults is not None else Faults()
    app.state.store = store
    app.state.forced = []
    return app


async def _form(request: Request) -> dict[str, str]:
    """The form-encoded body; code 1 for any other method or content type."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method != "POST" or kind != "application/x-www-form-urlencoded":
        raise IsError(1, "Bad request: POST form-encoded parameters")
    try:
        pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise IsError(1, "Bad request: the body is not UTF-8") from None
    return dict(pairs)


async def _not_found(request: Request) -> Response:
    return JSONResponse({"error_code": 1, "error_text": "Not found"}, status_code=404)


def sandbox_profile() -> dict[str, Any]:
    """The profile keys that reach this sandbox (its key is sandbox-only)."""
    return {"login": DEFAULT_LOGIN, "rps_key": DEFAULT_RPS_KEY}
