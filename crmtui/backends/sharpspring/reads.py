"""SharpSpring reads beyond one page: leads by several emails, changes since."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from crmtui.backends.page_guard import PageGuard
from crmtui.backends.sharpspring import wire
from crmtui.backends.sharpspring.fields import SsEntity
from crmtui.errors import UsageError
from crmtui.model import Page, Query, Record

if TYPE_CHECKING:
    from crmtui.backends.sharpspring.backend import SharpSpringBackend

STAMP = "%Y-%m-%d %H:%M:%S"
MAX_EMAILS = 100


async def by_emails(
    backend: SharpSpringBackend, emails: Sequence[str], query: Query, offset: int
) -> Page:
    """Leads by several email addresses (getLeads matches one at a time), in the given order.

    The Ibexa module's "List Leads" takes several emails; the API one `emailAddress` a call.
    """
    if len(emails) > MAX_EMAILS:
        raise UsageError(f"search by at most {MAX_EMAILS} email addresses at a time")
    fields = await backend.fields("lead")
    found: dict[str, Record] = {}
    for email in emails:
        params: dict[str, Any] = {"where": {"emailAddress": email}, "limit": 1, "offset": 0}
        if query.fields:
            params["fields"] = list(query.fields)
        for item in wire.items(await backend.call("getLeads", params), "lead"):
            record = backend.record_of("lead", item, fields)
            found.setdefault(record.id, record)
    return Page(list(found.values())[offset:], offset, None, None)


async def changed_items(
    backend: SharpSpringBackend, e: SsEntity, since: dt.datetime
) -> list[dict[str, Any]]:
    """Objects created or updated since `since`, from get{Objects}DateRange (all pages)."""
    start = since.astimezone(backend.zone).strftime(STAMP)
    end = (dt.datetime.now(backend.zone) + dt.timedelta(days=1)).strftime(STAMP)
    found: dict[str, dict[str, Any]] = {}
    for kind in ("create", "update"):
        offset = 0
        guard = PageGuard(f"get{e.plural}DateRange", "SharpSpring")
        while True:
            params = {"startDate": start, "endDate": end, "timestamp": kind,
                      "limit": 500, "offset": offset}  # fmt: skip
            items = wire.items(await backend.call(f"get{e.plural}DateRange", params), e.key)
            if not guard.take(items):
                break
            for item in items:
                found[str(item.get("id"))] = item
            if len(items) < 500:
                break
            offset += 500
    return list(found.values())
