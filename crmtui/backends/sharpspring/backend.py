"""SharpSpring: JSON-RPC-like, credentials in the query string (docs/vendors/sharpspring.md)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from crmtui.backends.base import Related
from crmtui.backends.page_values import ValueTyper
from crmtui.backends.sharpspring import activity, reads, search, wire
from crmtui.backends.sharpspring.calls import SharpSpringCalls
from crmtui.backends.sharpspring.fields import (
    ENTITIES,
    STANDARD,
    SsEntity,
    custom_field,
    entity_specs,
    serialize,
    typer,
)
from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.backends.sharpspring.spec import SPEC
from crmtui.backends.together import all_of, both
from crmtui.errors import NotFound, ObjectResult, PartialFailure, UsageError
from crmtui.http.client import VendorHTTP
from crmtui.http.retry import OpKind
from crmtui.model import (
    ActionSpec,
    Capability,
    Change,
    Choice,
    EntitySpec,
    FieldSpec,
    FieldType,
    Page,
    Query,
    Record,
    as_values,
)
from crmtui.model.filter import FilterSupport

SMALL_REFERENCES = ("user_profile", "deal_stage", "campaign", "account")
SMALL = 500  # reference targets with at most this many records get their names loaded
OFF_LOOP = 65_536
"""Answers of a list call this large (some 70 leads) are decoded and typed in a worker thread:
a page of 500 takes some 20 ms of CPU, during which the event loop would neither see the head of
another answer (its window slot is held until then) nor let a waiting call go at its time."""


class SharpSpringBackend(SharpSpringCalls):
    """Leads, accounts, campaigns, opportunities, deal stages, user profiles, lists, events."""

    spec = SPEC  # vendor, label, capabilities and pace (10 a second, 50,000 a day)
    max_page_size = 500

    def __init__(
        self, settings: SharpSpringProfile, secrets: Mapping[str, str], http: VendorHTTP
    ) -> None:
        super().__init__(settings, secrets, http)
        self._names: dict[str, dict[str, str]] = {}
        self._parsers: dict[tuple[str, int], ValueTyper] = {}

    # -- metadata -------------------------------------------------------------------------------
    async def entities(self) -> list[EntitySpec]:
        """The seven entities the vendor's module page lists."""
        return entity_specs()

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        """The typed standard fields, custom fields from getFields, references named (unless
        `reference_choices` is off)."""
        specs = list(STANDARD[entity])
        named_refs = set(SMALL_REFERENCES) if self.reference_choices else set()
        targets = sorted(
            {s.reference for s in specs if s.type is FieldType.REFERENCE and s.reference}
            & named_refs
        )
        custom: list[dict[str, Any]] = []

        async def custom_fields() -> None:
            if entity in ("lead", "account", "campaign", "opportunity"):
                where = {"isCustom": "1", "relationship": entity}
                custom.extend(await self._all("getFields", "field", where))

        # the custom fields and the names of the small references, all at once
        await all_of([custom_fields(), *(self.reference_names(t) for t in targets)])
        for item in custom:
            if str(item.get("relationship", entity)) == entity and item.get("systemName"):
                specs.append(custom_field(item))
        named = []
        for spec in specs:
            if spec.type is FieldType.REFERENCE and spec.reference in named_refs:
                names = await self.reference_names(spec.reference)
                choices = tuple(Choice(k, v) for k, v in names.items())
                spec = FieldSpec(**{**spec.__dict__, "choices": choices})
            named.append(spec)
        return named

    async def reference_names(self, target: str) -> dict[str, str]:
        """id -> name of a small entity (empty when it holds more than SMALL records)."""
        if target not in self._names:
            e = ENTITIES[target]
            result = await self.call(f"get{e.plural}", {"where": {}, "limit": SMALL, "offset": 0})
            items = wire.items(result, e.key)
            names: dict[str, str] = {}
            if len(items) < SMALL:
                for item in items:
                    names[str(item.get("id"))] = wire.text(wire.display_name(target, item))
            self._names[target] = names
        return self._names[target]

    # -- records --------------------------------------------------------------------------------
    def _spec(self, entity: str) -> SsEntity:
        return ENTITIES[entity]

    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        """A page by `limit`/`offset`; a short page is the end and there is no total."""
        await self.entity(entity)
        e = self._spec(entity)
        limit = max(1, min(limit, self.max_page_size))
        if query.sort:
            raise UsageError("SharpSpring cannot sort on the server; sort the loaded rows")
        if entity == "event":
            where, kinds = activity.event_where(query)
            items = await activity.event_items(self, where, kinds, offset, limit)
            fields = await self.fields(entity)
            events = [self.record_of(entity, item, fields) for item in items]
            return Page(
                events, offset, offset + len(events) if len(events) >= limit else None, None
            )
        where = wire.where(entity, query)
        emails = [a.strip() for a in where.get("emailAddress", "").split(",") if a.strip()]
        if len(emails) > 1:  # seed 001's "List Leads" takes several emails: one lead each
            return await reads.by_emails(self, emails, query, offset)
        params: dict[str, Any] = {"where": where, "limit": limit, "offset": offset}
        if query.fields and entity == "lead":
            params["fields"] = list(query.fields)
        # the first page need not wait for the field metadata: both travel at once
        method = f"get{e.plural}"
        (response, rid), fields = await both(
            self.post(method, params, OpKind.READ), self.fields(entity)
        )

        def typed() -> list[Record]:
            return self.records_of(entity, wire.items(self.answer(method, response, rid), e.key),
                                   fields)  # fmt: skip

        if len(response.content) < OFF_LOOP:
            records = typed()
        else:  # the event loop stays free to see the next answers and let the next calls go
            records = await asyncio.to_thread(typed)
        end = offset + len(records)
        return Page(records, offset, end if len(records) >= limit else None, None)

    def _typer(self, entity: str, fields: Sequence[FieldSpec]) -> ValueTyper:
        key = (entity, id(fields))
        if key not in self._parsers:
            self._parsers = {key: typer(fields, self.zone)} | self._parsers
        return self._parsers[key]

    def record_of(
        self, entity: str, item: Mapping[str, Any], fields: Sequence[FieldSpec]
    ) -> Record:
        """One object as a record: strings decoded, typed fields typed, the id its own."""
        return self.records_of(entity, [item], fields)[0]

    def records_of(
        self, entity: str, items: Sequence[Mapping[str, Any]], fields: Sequence[FieldSpec]
    ) -> list[Record]:
        """A page of objects as records (`record_of` each), typed a column at a time."""
        raws = [item if isinstance(item, dict) else dict(item) for item in items]
        values = self._typer(entity, fields).page(raws)
        return [
            Record(entity, str(raw.get("id", "")), typed, raw)
            for raw, typed in zip(raws, values, strict=True)
        ]

    async def get(self, entity: str, record_id: str) -> Record:
        """One record by id (getLead, ... or the list method filtered by id)."""
        await self.entity(entity)
        e = self._spec(entity)
        rid = wire.numeric_id(record_id)
        if entity == "event":
            raise UsageError("SharpSpring has no call that reads one event; list them by leadID")
        if e.single:
            result = await self.call(f"get{e.single}", {"id": rid})
        else:
            result = await self.call(f"get{e.plural}", {"where": {"id": rid}})
        items = wire.items(result, e.key)
        if not items or not str(items[0].get("id") or "").strip():
            # getLead answers an unknown id with a "ghost": leadStatus "open", empty custom
            # fields and no id (VENDORS-RESEARCH §1.12.5).
            raise NotFound(f"{entity} {record_id} not found")
        return self.record_of(entity, items[0], await self.fields(entity))

    async def _payload(self, entity: str, values: Mapping[str, Any], creating: bool) -> Any:
        e = self._spec(entity)
        if not e.writable:
            raise UsageError(f"SharpSpring cannot change {entity} records")
        typed = (await self.validator(entity)).validate(values, creating=creating)
        return {name: serialize(value, self.zone) for name, value in typed.items()}

    async def create(self, entity: str, values: Mapping[str, Any]) -> Record:
        """create{Objects} with one object; the new id comes back in `creates`."""
        payload = await self._payload(entity, values, True)
        payload = {k: v for k, v in payload.items() if v is not None}
        e = self._spec(entity)
        result = await self.call(f"create{e.plural}", {"objects": [payload]}, OpKind.CREATE)
        outcome = wire.outcomes(result, "creates", [payload])[0]
        if not outcome.ok or not outcome.id:
            raise wire.single_failure(entity, "", outcome)
        return await self.get(entity, outcome.id)

    async def update(self, entity: str, record_id: str, changes: Sequence[Change]) -> Record:
        """Only the changed fields; leads through updateLeadsV2 so an unknown id is reported."""
        await self.update_many(entity, [(record_id, changes)])
        return await self.get(entity, record_id)

    async def update_many(
        self, entity: str, updates: Sequence[tuple[str, Sequence[Change]]]
    ) -> list[ObjectResult]:
        """Up to 500 updates in one call; PartialFailure (one result per object) if any fail.

        A single failed update raises the error of that object (ValidationFailed on its field,
        NotFound); "nothing changed" (302) counts as success.
        """
        if len(updates) > 500:
            raise UsageError("SharpSpring takes at most 500 objects per request")
        objects = []
        for record_id, changes in updates:
            payload = await self._payload(entity, as_values(changes), False)
            objects.append({"id": wire.numeric_id(record_id), **payload})
        method = "updateLeadsV2" if entity == "lead" else f"update{self._spec(entity).plural}"
        result = await self.call(method, {"objects": objects}, OpKind.IDEMPOTENT)
        outcomes = wire.outcomes(result, "updates", objects)
        if len(outcomes) == 1 and not outcomes[0].ok:
            raise wire.single_failure(entity, updates[0][0], outcomes[0])
        if any(not o.ok for o in outcomes):
            raise PartialFailure(outcomes)
        return outcomes

    async def delete(self, entity: str, record_id: str) -> None:
        """delete{Objects} with one id; an unknown id is NotFound."""
        e = self._spec(entity)
        if not e.writable:
            raise UsageError(f"SharpSpring cannot delete {entity} records")
        objects = [{"id": wire.numeric_id(record_id)}]
        result = await self.call(f"delete{e.plural}", {"objects": objects}, OpKind.IDEMPOTENT)
        outcome = wire.outcomes(result, "deletes", objects)[0]
        if not outcome.ok:
            raise wire.single_failure(entity, record_id, outcome)

    async def changed_since(self, entity: str, since: dt.datetime) -> list[Record]:
        """Created or updated since `since`, newest first, from the DateRange methods."""
        spec = await self.entity(entity)
        if not spec.can(Capability.WATCH):
            raise UsageError(f"SharpSpring cannot watch {entity} for changes")
        fields = await self.fields(entity)
        if entity == "event":
            items = await activity.events_since(self, since)
            events = [self.record_of(entity, item, fields) for item in items]
            events.sort(key=wire.changed_at, reverse=True)
            return [r for r in events if wire.changed_at(r) >= since]
        found = await reads.changed_items(self, self._spec(entity), since)
        records = [self.record_of(entity, item, fields) for item in found]
        records.sort(key=wire.changed_at, reverse=True)
        return [r for r in records if wire.changed_at(r) >= since]

    # -- events and lists -----------------------------------------------------------------------
    async def related(self, entity: str, record_id: str) -> list[Related]:
        """A lead's recent activity (getEvents) and the lists it is on."""
        if entity != "lead":
            return []
        return await activity.related(self, record_id)

    async def actions(self, entity: str) -> list[ActionSpec]:
        """Leads: add to a list, remove from a list."""
        return await activity.list_actions(self) if entity == "lead" else []

    async def run_action(
        self, entity: str, record_id: str, action: str, params: Mapping[str, Any]
    ) -> str:
        """addListMember / removeListMember for a lead."""
        if entity != "lead" or action not in ("add_to_list", "remove_from_list"):
            raise UsageError(f"{entity} has no action {action!r}")
        return await activity.change_membership(self, record_id, action, params)

    def filter_support(self, entity: str) -> FilterSupport:
        """The `where` keys of the entity (see `search`)."""
        return search.support(entity)
