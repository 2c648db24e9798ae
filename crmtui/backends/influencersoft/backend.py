"""InfluencerSoft: a write-mostly vendor, per docs/vendors/influencersoft.md.

The vendor offers no documented way to read a contact's fields back, so this backend does what
it allows: add or update a lead by email (every seed 002 field, tags and lists), remove tags,
list the groups, add a lead to a group (AddLeadToGroup), and read which groups a lead is in,
with its status in each (GetLeadGroupStatuses): `get lead EMAIL` shows what the vendor holds.
Every write it sends is handed to `recorder` (the local sent history) with the vendor's answer,
whether it succeeded or not. With `api_secret` in the profile every call is signed the API 1.0
way (a hash of the parameters, the login and the secret) instead of carrying the RPS key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from crmtui.backends.capabilities import UpsertForm
from crmtui.backends.influencersoft.calls import InfluencerSoftCalls, split_names
from crmtui.backends.influencersoft.fields import (
    ADD_TO_GROUP,
    LEAD_FIELD_NAMES,
    LEAD_NOTE,
    LIST_FIELDS,
    Group,
    entity_specs,
    group_fields,
    lead_fields,
)
from crmtui.backends.influencersoft.spec import SPEC
from crmtui.errors import NotFound, UsageError, ValidationFailed
from crmtui.http.retry import OpKind
from crmtui.model import ActionSpec, Choice, EntitySpec, FieldSpec, Page, Query, Record
from crmtui.model.filter import FilterSupport


class InfluencerSoftBackend(InfluencerSoftCalls):
    """Upsert by email with tags and lists, remove tags, list groups; nothing else."""

    spec = SPEC  # vendor, label, capabilities and pace (five calls a second, self-imposed)

    # -- the upsert view (crmtui.backends.capabilities.Upserts) --------------------------------
    def upsert_form(self) -> UpsertForm:
        """Every addupdatelead field, tags as text, lists picked from the account's groups."""
        return UpsertForm(
            entity="lead",
            key="lead_email",
            fields=tuple(lead_fields()),
            note=LEAD_NOTE,
            pickers={"add_to_lists": "Add to lists", "remove_from_lists": "Remove from lists"},
            aliases={name.removeprefix("lead_"): name for name in LEAD_FIELD_NAMES},
        )

    async def upsert_choices(self) -> list[Choice]:
        """The account's groups: id and title (lists are picked by title)."""
        return [Choice(group.id, group.title) for group in await self.groups()]

    # -- writes ---------------------------------------------------------------------------------
    async def upsert(
        self,
        values: Mapping[str, Any],
        *,
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
        add_lists: Sequence[str] = (),
        remove_lists: Sequence[str] = (),
    ) -> Record:
        """Add or update the lead with `values["lead_email"]`; lists are picked by group name.

        Returns the lead as sent (the vendor cannot be asked what it now holds).
        """
        typed = (await self.validator("lead")).validate(values, creating=True)
        form = {k: str(typed[k]) for k in LEAD_FIELD_NAMES if typed.get(k) is not None}
        wanted = {
            "add_tags": [*split_names(typed.get("add_tags")), *add_tags],
            "remove_tags": [*split_names(typed.get("remove_tags")), *remove_tags],
            "add_to_lists": [*split_names(typed.get("add_to_lists")), *add_lists],
            "remove_from_lists": [*split_names(typed.get("remove_from_lists")), *remove_lists],
        }
        extras = {
            "add_tags": ",".join(split_names(wanted["add_tags"])),
            "remove_tags": ",".join(split_names(wanted["remove_tags"])),
        }
        for name in LIST_FIELDS:
            extras[name] = ",".join(await self.resolve_lists(split_names(wanted[name]), name))
        form.update({k: v for k, v in extras.items() if v})
        await self._send("addupdatelead", form, OpKind.IDEMPOTENT)
        shown = {**form, **{k: ", ".join(split_names(wanted[k])) for k in LIST_FIELDS}}
        return Record("lead", form["lead_email"], {k: v for k, v in shown.items() if v}, form)

    async def remove_tags(self, email: str, tags: Sequence[str]) -> None:
        """Take `tags` off the lead with `email` (removetagfromlead)."""
        (await self.validator("lead")).validate({"lead_email": email}, creating=True)
        names = split_names(list(tags))
        if not names:
            raise ValidationFailed({"remove_tags": "name at least one tag"})
        form = {"lead_email": email.strip(), "tag": ",".join(names)}
        await self._send("removetagfromlead", form, OpKind.IDEMPOTENT)

    # -- the common contract --------------------------------------------------------------------
    async def entities(self) -> list[EntitySpec]:
        """Leads (upsert only) and groups."""
        return entity_specs()

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        """The seed 002 fields for leads; id and title for groups."""
        return lead_fields() if entity == "lead" else group_fields()

    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        """Groups; for leads an empty page with the reason (no API reads contacts back)."""
        spec = await self.entity(entity)
        if entity == "lead":
            email = next((f.value for f in query.filters if f.field == "lead_email"), "")
            if not email:
                return Page([], offset, None, None, notes=[spec.note])
            try:  # the one lead with that email, as the vendor holds it (its groups)
                found = [await self.get("lead", email)] if offset == 0 else []
            except NotFound:
                found = []
            return Page(found, offset, None, len(found))
        groups = await self.groups()
        records = [self._group_record(g) for g in groups]
        chunk = records[offset : offset + max(limit, 1)]
        end = offset + len(chunk)
        return Page(chunk, offset, end if end < len(records) else None, len(records))

    @staticmethod
    def _group_record(group: Group) -> Record:
        values = {"rass_name": group.id, "rass_title": group.title}
        return Record("group", group.id, values, dict(values))

    def filter_support(self, entity: str) -> FilterSupport:
        """Leads by email (GetLeadGroupStatuses); nothing else is filtered on the server."""
        if entity != "lead":
            return FilterSupport()
        return FilterSupport({"lead_email": frozenset({"eq"})}, 1)

    async def actions(self, entity: str) -> list[ActionSpec]:
        """Leads: add to a group (AddLeadToGroup)."""
        return [ADD_TO_GROUP] if entity == "lead" else []

    async def run_action(
        self, entity: str, record_id: str, action: str, params: Mapping[str, Any]
    ) -> str:
        """`add_to_group` with `group` (a title or an id) and optional `activation`."""
        if entity != "lead" or action != ADD_TO_GROUP.name:
            raise UsageError(f"{self.label} has no action {action!r} on {entity}")
        group = str(params.get("group") or "").strip()
        if not group:
            raise ValidationFailed({"group": "name the group (its title or id)"})
        activation = str(params.get("activation") or "").strip().lower() in ("1", "true", "yes")
        return await self.add_to_group(record_id, group, activation=activation)

    async def get(self, entity: str, record_id: str) -> Record:
        """A group by id, or a lead by email: the groups the vendor holds it in."""
        await self.entity(entity)
        if entity == "lead":
            statuses = await self.lead_groups(record_id)
            values = {
                "lead_email": record_id.strip(),
                "groups": "; ".join(s.describe() for s in statuses) or "(none)",
            }
            raw = {"groups": [s.__dict__ for s in statuses]}
            return Record("lead", record_id.strip().lower(), values, raw)
        for group in await self.groups():
            if group.id == record_id:
                return self._group_record(group)
        raise NotFound(f"no InfluencerSoft group {record_id!r}")

    async def create(self, entity: str, values: Mapping[str, Any]) -> Record:
        """Upsert a lead (the tag and list fields take comma-separated names)."""
        spec = await self.entity(entity)
        if entity != "lead":
            raise UsageError(f"{self.label} cannot create {spec.label.lower()}")
        return await self.upsert(values)
