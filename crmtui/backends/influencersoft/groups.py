"""InfluencerSoft groups: the account's groups, a lead's groups and adding a lead to one."""

from __future__ import annotations

import difflib
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

from crmtui.backends.base import Related
from crmtui.backends.influencersoft.fields import Group
from crmtui.backends.influencersoft.raw import RawCalls
from crmtui.backends.influencersoft.wire import NOT_FOUND_CODES, GroupStatus
from crmtui.backends.wire_text import unescape_html
from crmtui.errors import NotFound, ValidationFailed, VendorError
from crmtui.http.retry import OpKind
from crmtui.model import Record


class GroupCalls(RawCalls):
    """The group half of the InfluencerSoft backend (calls go through `_send`)."""

    _groups: list[Group] | None

    @abstractmethod
    async def _send(self, method: str, form: Mapping[str, str], op: OpKind) -> Any:
        """POST one call; record it when it writes; raise typed errors."""

    # -- groups ---------------------------------------------------------------------------------
    async def groups(self, *, refresh: bool = False) -> list[Group]:
        """Every group (list) of the account, from GetAllGroups (cached until `refresh`)."""
        if self._groups is None or refresh:
            result = await self._send("GetAllGroups", {}, OpKind.READ)
            found = []
            for item in result if isinstance(result, list) else []:
                if isinstance(item, dict) and item.get("rass_name"):
                    gid = str(item["rass_name"])
                    title = unescape_html(str(item.get("rass_title") or gid))
                    found.append(Group(gid, title))
            self._groups = found
        return list(self._groups)

    async def resolve_lists(self, names: Sequence[str], field: str = "add_to_lists") -> list[str]:
        """Group ids for names (titles, case-insensitive, or ids); ValidationFailed on `field`."""
        if not names:
            return []
        groups = await self.groups()
        by_title = {g.title.casefold(): g.id for g in groups}
        ids = {g.id for g in groups}
        resolved: list[str] = []
        for name in names:
            gid = name if name in ids else by_title.get(name.casefold())
            if gid is None:
                close = difflib.get_close_matches(name, [g.title for g in groups], n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                known = ", ".join(g.title for g in groups) or "none"
                raise ValidationFailed({field: f"no group named {name!r}{hint}; groups: {known}"})
            if gid not in resolved:
                resolved.append(gid)
        return resolved

    async def lead_groups(self, email: str) -> list[GroupStatus]:
        """The groups the vendor holds the lead with `email` in, and its status in each."""
        (await self.validator("lead")).validate({"lead_email": email}, creating=True)
        try:
            result = await self._send("GetLeadGroupStatuses", {"email": email.strip()}, OpKind.READ)
        except VendorError as exc:
            if exc.code in NOT_FOUND_CODES:
                raise NotFound(f"InfluencerSoft has no lead {email!r}") from None
            raise
        items = result if isinstance(result, list) else []
        return [GroupStatus.from_wire(i) for i in items if isinstance(i, dict)]

    async def add_to_group(self, email: str, group: str, *, activation: bool = False) -> str:
        """AddLeadToGroup: put the lead with `email` in `group` (a title or an id)."""
        (await self.validator("lead")).validate({"lead_email": email}, creating=True)
        gid = (await self.resolve_lists([group.strip()], "group"))[0]
        form = {"rid[0]": gid, "lead_email": email.strip()}
        if activation:
            form["activation"] = "1"
        try:
            await self._send("AddLeadToGroup", form, OpKind.IDEMPOTENT)
        except ValidationFailed as exc:
            if "(code 102)" in " ".join(exc.field_errors.values()):
                return f"{email} is already in {group}"
            raise
        return f"added {email} to {group}"

    async def related(self, entity: str, record_id: str) -> list[Related]:
        """A lead's groups, with its status and subscription time in each."""
        if entity != "lead":
            return []
        records = []
        for status in await self.lead_groups(record_id):
            values = {
                "rass_name": status.group_id,
                "rass_title": status.title,
                "rass_status": status.status,
                "subscription_time": status.since,
            }
            records.append(Record("group", status.group_id, values, dict(values)))
        return [Related("Groups", "group", tuple(records))]
