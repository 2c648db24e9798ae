"""CMDataManager (Campaign Master): REST with a bearer token, per docs/vendors/cmdatamanager.md."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from crmtui.backends.base import Related
from crmtui.backends.cmdatamanager import related as linking
from crmtui.backends.cmdatamanager import search
from crmtui.backends.cmdatamanager.calls import CMDataManagerCalls
from crmtui.backends.cmdatamanager.fields import (
    STANDARD_ENTITIES,
    Parsers,
    entity_specs,
    field_from_metadata,
    infer_fields,
    parsers,
    serialize,
)
from crmtui.backends.cmdatamanager.spec import SPEC
from crmtui.backends.page_guard import PageGuard
from crmtui.backends.together import all_of, both
from crmtui.errors import NotFound, UsageError, ValidationFailed, VendorError
from crmtui.http.retry import OpKind
from crmtui.model import (
    ActionSpec,
    Change,
    EntitySpec,
    FieldSpec,
    FieldType,
    Page,
    Query,
    Record,
    as_values,
)
from crmtui.model.filter import FilterSupport

FIELD_PAGE_SIZE = 100  # fields asked for a page
FIELD_PAGES = 50  # pages of fields at most (5,000 fields), whatever "Total Page" claims


class CMDataManagerBackend(CMDataManagerCalls):
    """Token auth, page/per_page paging with totals, server-side sort and field selection."""

    spec = SPEC  # vendor, label, capabilities and pace (an hourly quota read from headers)
    max_page_size = 500

    # -- metadata -------------------------------------------------------------------------------
    async def entities(self) -> list[EntitySpec]:
        """The five standard entities plus the profile's custom entities."""
        return entity_specs(self.settings.custom_entities)

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        """Fields from `/{entity}/fields`; inferred from records where the seed has no such call."""
        specs: list[FieldSpec] = []
        page = 1
        guard = PageGuard(f"fields of {entity}", "CMDataManager", max_pages=FIELD_PAGES)
        while True:
            try:
                body = await self._call(
                    "GET",
                    f"/{entity}/fields",
                    op=OpKind.READ,
                    params={"per_page": str(FIELD_PAGE_SIZE), "page": str(page)},
                    what=f"fields of {entity}",
                )
            except NotFound:
                return linking.mark_links(infer_fields(entity, await self._sample(entity)))
            items = body.get("Field") or []
            if not guard.take(items):  # empty, or a page already seen: the claimed total lies
                return linking.mark_links(specs)
            specs.extend(field_from_metadata(item) for item in items)
            if page >= _int(body.get("Total Page"), 1) or len(items) < FIELD_PAGE_SIZE:
                return linking.mark_links(specs)
            page += 1

    async def _sample(self, entity: str) -> list[dict[str, Any]]:
        body = await self._call(
            "GET", f"/{entity}", op=OpKind.READ, params={"per_page": "50", "page": "1"}
        )
        return [item.get("Properties") or {} for item in body.get("Entity") or []]

    async def actions(self, entity: str) -> list[ActionSpec]:
        """Lead convert, task close and linked task/opportunity creation."""
        found: list[ActionSpec] = []
        if entity == "lead":
            account = FieldSpec(
                "Account ExternalID", "Account", FieldType.REFERENCE, True, reference="account"
            )
            found.append(ActionSpec("convert", "Convert lead", (account,)))
        if entity == "task":
            found.append(ActionSpec("close", "Close task"))
        if entity in STANDARD_ENTITIES and entity not in ("task", "opportunity"):
            found.append(ActionSpec("task", "Create a linked task"))
            found.append(ActionSpec("opportunity", "Create a linked opportunity"))
        return found

    # -- records --------------------------------------------------------------------------------
    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        """A page by `per_page`/`page`; unaligned offsets read the two pages around them."""
        await self.entity(entity)
        if query.filters:
            raise UsageError("CMDataManager has no server-side filter; filter the loaded rows")
        limit = max(1, min(limit, self.max_page_size))
        params: dict[str, str] = {"per_page": str(limit)}
        if query.sort:
            params["sort_by"] = query.sort.field
            params["sort_order"] = "desc" if query.sort.descending else "asc"
        if query.fields:
            params["fields"] = ",".join(query.fields)
        first = offset // limit
        pages = [first] if offset % limit == 0 else [first, first + 1]
        # the first page need not wait for the field metadata: they travel at once
        bodies, fields = await both(
            all_of(
                self._call(
                    "GET", f"/{entity}", op=OpKind.READ, params={**params, "page": str(n + 1)}
                )
                for n in pages
            ),
            self.fields(entity),
        )
        items: list[dict[str, Any]] = []
        total = 0
        for body in bodies:
            total = _int(body.get("Total Records"), 0)
            items.extend(body.get("Entity") or [])
        skip = offset - first * limit
        records = _records(entity, items[skip : skip + limit], parsers(fields))
        end = offset + len(records)
        next_offset = end if records and end < total else None
        return Page(records, offset, next_offset, total)

    async def related(self, entity: str, record_id: str) -> list[Related]:
        """Lookups pointing here, tasks and opportunities linked here, a child's parent."""
        return await linking.related(self, entity, record_id)

    def filter_support(self, entity: str) -> FilterSupport:
        """No server-side filter (see `search`)."""
        return search.support(entity)

    async def get(self, entity: str, record_id: str) -> Record:
        """One record by ExternalID."""
        await self.entity(entity)
        body = await self._call(
            "GET", f"/{entity}/{_seg(record_id)}", op=OpKind.READ, what=f"{entity} {record_id}"
        )
        return _record(entity, body, parsers(await self.fields(entity)))

    async def create(self, entity: str, values: Mapping[str, Any]) -> Record:
        """POST the validated values; CMDataManager answers 201 with the new ExternalID."""
        typed = (await self.validator(entity)).validate(values, creating=True)
        payload = {name: serialize(value) for name, value in typed.items() if value is not None}
        body = await self._call("POST", f"/{entity}", op=OpKind.CREATE, body=payload)
        new_id = body.get("ExternalID") if isinstance(body, dict) else None
        if not new_id:
            raise VendorError("CMDataManager created the record but sent no ExternalID")
        return await self.get(entity, str(new_id))

    async def update(self, entity: str, record_id: str, changes: Sequence[Change]) -> Record:
        """PUT only the changed fields, validated first."""
        typed = (await self.validator(entity)).validate(as_values(changes))
        payload = {name: serialize(value) for name, value in typed.items()}
        await self._call(
            "PUT",
            f"/{entity}/{_seg(record_id)}",
            op=OpKind.IDEMPOTENT,
            body=payload,
            what=f"{entity} {record_id}",
        )
        return await self.get(entity, record_id)

    async def delete(self, entity: str, record_id: str) -> None:
        """DELETE one record."""
        await self.entity(entity)
        await self._call(
            "DELETE",
            f"/{entity}/{_seg(record_id)}",
            op=OpKind.IDEMPOTENT,
            what=f"{entity} {record_id}",
        )

    async def run_action(
        self, entity: str, record_id: str, action: str, params: Mapping[str, Any]
    ) -> str:
        """Convert a lead, close a task, or create a linked task/opportunity."""
        names = [a.name for a in await self.actions(entity)]
        if action not in names:
            raise UsageError(f"{entity} has no action {action!r}; it has: {', '.join(names)}")
        rid = _seg(record_id)
        if action == "convert":
            account = str(params.get("Account ExternalID") or params.get("account") or "")
            if not account:
                raise ValidationFailed({"Account ExternalID": "is required"})
            body = await self._call(
                "PUT",
                f"/lead/convert/{rid}",
                op=OpKind.IDEMPOTENT,
                body={"Account ExternalID": account},
                what=f"lead {record_id}",
            )
        elif action == "close":
            body = await self._call(
                "PUT", f"/task/close/{rid}", op=OpKind.IDEMPOTENT, what=f"task {record_id}"
            )
        else:
            typed = (await self.validator(action)).validate(params, creating=True)
            payload = {k: serialize(v) for k, v in typed.items() if v is not None}
            body = await self._call(
                "POST",
                f"/{entity}/{rid}/{action}",
                op=OpKind.CREATE,
                body=payload,
                what=f"{entity} {record_id}",
            )
            return f"created {action} {body.get('ExternalID', '')}".strip()
        return str(body.get("Message", "done")) if isinstance(body, dict) else "done"


def _record(entity: str, item: Mapping[str, Any], parse: Parsers) -> Record:
    """A record from `{"ExternalID", "Properties"}`, its strings typed as `parse_value` does."""
    return _records(entity, [item], parse)[0]


def _records(entity: str, items: Sequence[Any], parse: Parsers) -> list[Record]:
    """Records from a page of `{"ExternalID", "Properties"}`, typed a column at a time."""
    raws = []
    for item in items:
        props = item.get("Properties") or {}
        raws.append(props if type(props) is dict else dict(props))  # fresh JSON: no copy
    ids = [str(item.get("ExternalID", "")) for item in items]
    return [
        Record(entity, rid, values, raw)
        for rid, values, raw in zip(ids, parse.page(raws), raws, strict=True)
    ]


def _seg(record_id: str) -> str:
    """A record id as one safe path segment."""
    text = str(record_id).strip()
    if not text or "/" in text or text in (".", ".."):
        raise UsageError(f"{record_id!r} is not a record id")
    return quote(text, safe="")


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default
