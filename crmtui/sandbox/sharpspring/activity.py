"""SharpSpring's lead events and list membership writes, over the store (no HTTP here).

Public record (VENDORS-RESEARCH §1.6-1.7; KB 53907/53908 "Open API Schema/Methods: Events";
SS-EX 22067891313, 21636118592; kencookco/spring-sharpspring-api `Event.java`):
- getEvents `{where: {leadID?, createTimestamp?}, limit, offset}`: the result key is `event`, each
  `{id, leadID, eventName, whatID, whatType, eventData, eventSource, createTimestamp}`; with a
  createTimestamp, the events that happened after it.
- getEventsByType: the same where (leadID and/or createTimestamp MUST be given) plus
  `eventSource`, a comma-delimited list of kinds (emailOpened, pageVisit, formSubmit, ...).
- addListMember `{listID, memberID}` answers `{"creates": [{"success": true, "error": null,
  "id": <number>}]}` with `"error": []`.
Choices where the record is silent:
- Events come newest first; a createTimestamp bound includes events at that very second; a date
  alone means its midnight. Times are read and shown in the version's zone, as elsewhere.
- getEventsByType answers under the same `event` key, grouped in the order the kinds were asked
  and newest first within a kind; an unknown kind is 219 "Incorrect eventSource value supplied."
- `eventData` is null for email events and JSON text for page visits (`{"url": ...}`) and form
  fills (`{"form": ...}`).
- Real visitors keep opening emails, visiting pages and filling forms: as the clock runs, the
  emulator adds one such event every PULSE seconds (at most PULSE_MAX per read) for a random lead.
- addListMember's failures are object-level (inside `creates`): 213 already a member, 214 no such
  lead, 212 no such list. removeListMember `{listID, memberID}` answers `removes` in the same
  shape; a lead that is not a member is 404. Both keep the list's memberCount (and removedCount).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from crmtui.sandbox.sharpspring.errors import ApiError, bad_param, int_param, missing
from crmtui.sandbox.sharpspring.schema import NS, STAMP

if TYPE_CHECKING:
    from crmtui.sandbox.sharpspring.methods import SsData

KINDS = {  # eventSource: (eventName, whatType)
    "emailOpened": ("Lead opened email.", "email"),
    "emailClick": ("Lead clicked a link in an email.", "email"),
    "emailUnsubscribe": ("Lead unsubscribed from email.", "email"),
    "pageVisit": ("Lead visited page.", "page"),
    "formSubmit": ("Lead filled out form.", "form"),
    "mediaOpen": ("Lead opened media.", "media"),
}
EVENT_SOURCES = [
    "callConvert",
    "cartComplete",
    "changeLeadStatus",
    "dealStageChange",
    "emailSent",
    "emailOpened",
    "emailClick",
    "emailBounce",
    "emailSpamComplaint",
    "emailUnsubscribe",
    "emailVisit",
    "formSubmit",
    "importantPageVisit",
    "incomingCall",
    "leadCreation",
    "leadOwnerChange",
    "mailboxRecv",
    "mailboxSend",
    "mailboxEmailOpen",
    "mediaOpen",
    "oppCreate",
    "oppLost",
    "oppWon",
    "outgoingCall",
    "pageVisit",
    "referredOnTheForm",
    "shoppingCartAbandoned",
]  # KB 53908, getEventsByType
LIVE_KINDS = ("emailOpened", "pageVisit", "formSubmit")
PAGES = ("/pricing", "/features", "/blog/crm-tips", "/contact", "/case-studies")
FORMS = ("Contact us", "Webinar sign-up", "Newsletter", "Request a demo")
PULSE = 20.0
PULSE_MAX = 30


def event_row(rid: str, lead_id: str, kind: str, stamp: str, pick: int) -> dict[str, Any]:
    """One stored event of `kind` for `lead_id` at `stamp` (`pick` chooses the page or form)."""
    name, what = KINDS[kind]
    data: str | None = None
    what_id = str(372_514_818 + pick % 7)
    if kind == "pageVisit":
        data = json.dumps({"url": f"https://www.example-company.test{PAGES[pick % len(PAGES)]}"})
        what_id = str(5_100 + pick % len(PAGES))
    elif kind == "formSubmit":
        data = json.dumps({"form": FORMS[pick % len(FORMS)]})
        what_id = str(7_700 + pick % len(FORMS))
    return {
        "id": rid,
        "leadID": lead_id,
        "eventName": name,
        "whatID": what_id,
        "whatType": what,
        "eventData": data,
        "eventSource": kind,
        "createTimestamp": stamp,
    }


def _where(data: SsData, params: dict[str, Any], need_one: bool) -> tuple[str | None, str | None]:
    if "where" not in params:
        raise missing("where")
    where = params["where"] if params["where"] not in ([], None) else {}
    if not isinstance(where, dict):
        raise bad_param("where", "Expected an object", "object")
    for key in where:
        if key not in ("leadID", "createTimestamp"):
            raise bad_param(f"where.{key}", "Unknown where key", "string")
    lead = where.get("leadID")
    since = where.get("createTimestamp")
    if need_one and lead in (None, "") and since in (None, ""):
        raise missing("where.leadID")
    lead_id = None if lead in (None, "") else str(lead).strip()
    if lead_id is not None and not lead_id.isdigit():
        raise bad_param("where.leadID", "Expected data of type integer")
    start = None if since in (None, "") else data.read_stamp("where.createTimestamp", since)
    return lead_id, start


def _events(data: SsData, lead_id: str | None, start: str | None) -> list[dict[str, Any]]:
    """Matching stored events, newest first."""
    pulse(data)
    where = {"leadID": lead_id} if lead_id else None
    found: list[dict[str, Any]] = []
    position, chunk = 0, 1000
    while True:
        rows = data.store.list(NS, "event", offset=position, limit=chunk, where=where,
                               sort_by="createTimestamp", descending=True)  # fmt: skip
        for _, row in rows:
            if start is not None and str(row.get("createTimestamp") or "") < start:
                return found
            found.append(row)
        if len(rows) < chunk:
            return found
        position += chunk


def _shown(data: SsData, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [data.wire("event", row, []) for row in rows]


def get_events(data: SsData, params: dict[str, Any]) -> dict[str, Any]:
    """getEvents: a lead's events, or those since a timestamp, newest first."""
    lead_id, start = _where(data, params, need_one=False)
    offset, limit = data.page(params)
    rows = _events(data, lead_id, start)[offset : offset + limit]
    return {"event": _shown(data, rows)}


def get_events_by_type(data: SsData, params: dict[str, Any]) -> dict[str, Any]:
    """getEventsByType: as getEvents, only the kinds named in `eventSource`."""
    lead_id, start = _where(data, params, need_one=True)
    source = params.get("eventSource")
    if source in (None, ""):
        raise missing("eventSource")
    kinds = [k.strip() for k in str(source).split(",") if k.strip()]
    if not kinds or any(k not in EVENT_SOURCES for k in kinds):
        raise ApiError(219, "Incorrect eventSource value supplied.")
    offset, limit = data.page(params)
    rows = _events(data, lead_id, start)
    grouped = [row for kind in kinds for row in rows if row.get("eventSource") == kind]
    return {"event": _shown(data, grouped[offset : offset + limit])}


def pulse(data: SsData) -> None:
    """Add the events real visitors would have caused since the last read (see the docstring)."""
    now = data.clock()
    state = data.store.get(NS, "eventClock", "1")
    if state is None:
        data.store.insert(NS, "eventClock", {"at": now}, record_id="1")
        return
    due = min(int((now - float(state["at"])) // PULSE), PULSE_MAX)
    if due <= 0:
        return
    leads = data.store.list(NS, "lead", offset=0, limit=200)
    if not leads:
        return
    start = now - due * PULSE
    rows = []
    for n in range(due):
        moment = dt.datetime.fromtimestamp(start + (n + 1) * PULSE, dt.UTC).strftime(STAMP)
        lead_id = leads[data.rng.randrange(len(leads))][0]
        kind = LIVE_KINDS[data.rng.randrange(len(LIVE_KINDS))]
        rid = data.new_id("event")
        rows.append((rid, event_row(rid, lead_id, kind, moment, data.rng.randrange(100))))
    data.store.insert_many(NS, "event", rows)
    data.store.update(NS, "eventClock", "1", {"at": float(state["at"]) + due * PULSE})


def _member_ids(data: SsData, params: dict[str, Any]) -> tuple[str, str]:
    return str(int_param(params, "listID")), str(int_param(params, "memberID"))


def _failure(code: int, message: str) -> dict[str, Any]:
    return {"success": "false", "error": {"code": code, "message": message, "data": []}}


def _count(data: SsData, list_id: str, name: str, step: int) -> None:
    row = data.store.get(NS, "activeList", list_id) or {}
    value = int(str(row.get(name) or "0")) + step
    data.store.update(NS, "activeList", list_id, {name: str(max(value, 0))})


def add_list_member(data: SsData, params: dict[str, Any]) -> dict[str, Any]:
    """addListMember: put lead `memberID` on active list `listID`."""
    list_id, lead_id = _member_ids(data, params)
    if data.store.get(NS, "activeList", list_id) is None:
        entry = _failure(212, "Object is not owned by the company.")
    elif data.load("lead", lead_id) is None:
        entry = _failure(214, "The lead you tried to add does not exist for this account.")
    elif data.store.list(NS, "listMember", offset=0, limit=1,
                         where={"listID": list_id, "leadID": lead_id}):  # fmt: skip
        entry = _failure(213, "The lead you tried to add is already a member.")
    else:
        rid = data.new_id("listMember")
        row = {"id": rid, "listID": list_id, "leadID": lead_id}
        data.store.insert(NS, "listMember", row, record_id=rid)
        _count(data, list_id, "memberCount", 1)
        entry = {"success": True, "error": None, "id": int(rid)}
    return {"creates": [entry]}


def remove_list_member(data: SsData, params: dict[str, Any]) -> dict[str, Any]:
    """removeListMember: take lead `memberID` off active list `listID`."""
    list_id, lead_id = _member_ids(data, params)
    rows = data.store.list(NS, "listMember", offset=0, limit=10,
                           where={"listID": list_id, "leadID": lead_id})  # fmt: skip
    if not rows:
        return {"removes": [_failure(404, "A record with that ID does not exist.")]}
    for rid, _ in rows:
        data.store.delete(NS, "listMember", rid)
    _count(data, list_id, "memberCount", -1)
    _count(data, list_id, "removedCount", 1)
    return {"removes": [{"success": True, "error": None}]}
