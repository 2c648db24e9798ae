"""SharpSpring lead events (email opens, page visits, form fills) and list membership.

Events come from getEvents (`where: {leadID | createTimestamp}`, result key `event`) and, for
some kinds only, getEventsByType (`eventSource`, comma-delimited); KB 53908 and the kencookco
client. A lead's lists are read from getActiveLists and each list's getListMembers (the public
record names getLeadListMemberships but shows none of its answers). Membership is changed with
addListMember / removeListMember `{listID, memberID}`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crmtui.backends.base import Related
from crmtui.backends.page_guard import PageGuard
from crmtui.backends.sharpspring import wire
from crmtui.errors import NotFound, UsageError, ValidationFailed, VendorError
from crmtui.http.retry import OpKind
from crmtui.model import ActionSpec, Choice, FieldSpec, FieldType, Query, Record

if TYPE_CHECKING:
    from crmtui.backends.sharpspring.backend import SharpSpringBackend

STAMP = "%Y-%m-%d %H:%M:%S"
RECENT = 10  # events shown as a lead's recent activity
MAX_LISTS = 100  # lists looked through for a lead's memberships (one request each)
EPOCH = "2000-01-01 00:00:00"  # getEventsByType needs a leadID or a timestamp


def event_where(query: Query) -> tuple[dict[str, str], str]:
    """An event query as (`where`, eventSource): by leadID and/or kinds (comma-separated)."""
    where: dict[str, str] = {}
    kinds = ""
    for f in query.filters:
        if f.op != "eq" or f.field not in ("leadID", "eventSource"):
            raise UsageError("SharpSpring can search events only by leadID or eventSource")
        if f.field == "leadID":
            where["leadID"] = str(wire.numeric_id(f.value))
        else:
            kinds = ",".join(k.strip() for k in f.value.split(",") if k.strip())
    return where, kinds


async def event_items(
    backend: SharpSpringBackend, where: Mapping[str, str], kinds: str, offset: int, limit: int
) -> list[dict[str, Any]]:
    """One page of events as the API shows them."""
    params: dict[str, Any] = {"where": dict(where), "limit": limit, "offset": offset}
    method = "getEvents"
    if kinds:
        method = "getEventsByType"
        params["eventSource"] = kinds
        if not where:
            params["where"] = {"createTimestamp": EPOCH}
    return wire.items(await backend.call(method, params), "event")


async def events_since(backend: SharpSpringBackend, since: dt.datetime) -> list[dict[str, Any]]:
    """Every event created at or after `since` (all pages)."""
    start = since.astimezone(backend.zone).strftime(STAMP)
    found: list[dict[str, Any]] = []
    guard = PageGuard("events", "SharpSpring")
    while True:
        page = await event_items(backend, {"createTimestamp": start}, "", len(found), 500)
        if not guard.take(page):
            return found
        found.extend(page)
        if len(page) < 500:
            return found


async def related(backend: SharpSpringBackend, record_id: str) -> list[Related]:
    """A lead's recent activity (newest first) and the lists it is on."""
    lead = str(wire.numeric_id(record_id))
    fields = await backend.fields("event")
    items = await event_items(backend, {"leadID": lead}, "", 0, RECENT)
    events = [backend.record_of("event", item, fields) for item in items]
    events.sort(key=wire.changed_at, reverse=True)
    lists = await memberships(backend, lead)
    return [
        Related("Recent activity", "event", tuple(events), timed=True),
        Related("Lists", "list", lists),
    ]


async def memberships(backend: SharpSpringBackend, lead: str) -> tuple[Record, ...]:
    """The active lists that hold lead `lead`."""
    fields = await backend.fields("list")
    lists = wire.items(
        await backend.call("getActiveLists", {"where": {}, "limit": MAX_LISTS, "offset": 0}),
        "activeList",
    )
    found = []
    for item in lists:
        offset = 0
        guard = PageGuard("list members", "SharpSpring")
        while True:
            params = {"where": {"id": str(item.get("id"))}, "limit": 500, "offset": offset}
            result = await backend.call("getListMembers", params)
            members = wire.items(result, "getWherelistMemberGets")
            if not guard.take(members):
                break
            if any(str(m.get("leadID")) == lead for m in members):
                found.append(backend.record_of("list", item, fields))
                break
            more = isinstance(result, dict) and result.get("hasMore") in (True, "true", "1", 1)
            if not members or not more:
                break
            offset += len(members)
    return tuple(found)


async def list_actions(backend: SharpSpringBackend) -> list[ActionSpec]:
    """Add a lead to a list, take it off one (the list chosen by name)."""
    names = await backend.reference_names("list")
    choices = tuple(Choice(k, v) for k, v in names.items())
    param = FieldSpec(
        "listID", "List", FieldType.REFERENCE, True, reference="list", choices=choices
    )
    return [
        ActionSpec("add_to_list", "Add to a list", (param,)),
        ActionSpec("remove_from_list", "Remove from a list", (param,)),
    ]


async def change_membership(
    backend: SharpSpringBackend, record_id: str, action: str, params: Mapping[str, Any]
) -> str:
    """addListMember / removeListMember for one lead; the vendor's outcome as a sentence."""
    value = str(params.get("listID") or params.get("list") or "").strip()
    if not value:
        raise ValidationFailed({"listID": "is required"})
    names = await backend.reference_names("list")
    by_name = {v.casefold(): k for k, v in names.items()}
    list_id = value if value.isdigit() else by_name.get(value.casefold(), "")
    if not list_id:
        raise ValidationFailed({"listID": f"no list named {value!r}"})
    lead = wire.numeric_id(record_id)
    body = {"listID": int(list_id), "memberID": lead}
    adding = action == "add_to_list"
    method = "addListMember" if adding else "removeListMember"
    result = await backend.call(method, body, OpKind.IDEMPOTENT)
    entries = (
        [v for v in result.values() if isinstance(v, list)] if isinstance(result, dict) else []
    )
    entry = entries[0][0] if entries and entries[0] and isinstance(entries[0][0], dict) else {}
    label = names.get(list_id, list_id)
    if entry.get("success") in (True, "true", "1", 1):
        return f"lead {record_id} {'added to' if adding else 'removed from'} list {label}"
    found = entry.get("error")
    error: dict[str, Any] = found if isinstance(found, dict) else {}
    code = wire.error_code(error)
    if code == 213:
        return f"lead {record_id} is already on list {label}"
    if code == 404 and not adding:
        raise NotFound(f"lead {record_id} is not on list {label}")
    if code in (212, 214, 404):
        raise NotFound(f"{method}: {error.get('message') or 'no such lead or list'}")
    raise VendorError(f"SharpSpring {method} failed: {error.get('message') or result}", code=code)
