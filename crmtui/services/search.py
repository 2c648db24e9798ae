"""Run a filter: on the server where the vendor can, the rest matched locally page by page.

`plan` splits a parsed filter by what the backend declares (`Backend.filter_support`); the
records the server returns are checked against what it could not do. A mirrored entity is
answered from the local copy instead (see `services.mirror`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field, replace

from crmtui.backends.base import Backend
from crmtui.errors import NotFound, UsageError
from crmtui.model import Query, Record, Sort
from crmtui.model.filter import SYMBOLS, Expr, matches, parse, server_part
from crmtui.services.mirror import Mirror
from crmtui.services.paging import Progress, iter_pages


@dataclass(frozen=True)
class Plan:
    """What the server is asked, and what is matched locally on what it returns."""

    query: Query
    rest: Expr  # empty: every record the server returns matches
    local: str = ""  # set when a local copy answers: its age
    verify: Expr = field(default_factory=Expr)  # checked on what the server returns

    @property
    def scans(self) -> bool:
        """Whether records are checked locally (every page is read, or the local copy)."""
        return bool(self.rest) or bool(self.local)

    def describe(self) -> str:
        """One line saying where the filter runs."""
        if self.local:
            return self.local
        server = [f"{c.field}{SYMBOLS[c.op]}{c.value}" for c in self.query.filters]
        if self.query.text:
            server.append(f"quick search {self.query.text!r}")
        said = f"the server filters {', '.join(server)}" if server else ""
        if not self.rest:
            return said or "every record"
        local = f"{self.rest.describe()} matched locally over every page"
        return f"{said}; {local}" if said else local


def plan(
    backend: Backend,
    entity: str,
    expr: Expr,
    *,
    sort: Sort | None = None,
    fields: tuple[str, ...] | None = None,
) -> Plan:
    """Split `expr` into the server's part and the local rest."""
    support = backend.filter_support(entity)
    sent, free, rest_conditions = server_part(expr, support)
    words = () if free else expr.words
    rest = replace(expr, conditions=rest_conditions, words=words, record_id=None)
    if fields is not None:  # what is checked locally must come back too
        needed = [c.field for c in expr.conditions] + list(expr.word_fields if expr.words else ())
        fields = tuple(dict.fromkeys([*fields, *needed]))
    text = " ".join(expr.words) if free else ""
    return Plan(Query(sent, sort, fields, text), rest, verify=replace(expr, record_id=None))


async def iter_matches(
    backend: Backend,
    entity: str,
    expr: Expr,
    *,
    sort: Sort | None = None,
    fields: tuple[str, ...] | None = None,
    limit: int | None = None,
    concurrency: int = 4,
    on_progress: Callable[[Progress], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    mirror: Mirror | None = None,
) -> AsyncGenerator[list[Record], None]:
    """The records of `entity` matching `expr`, a page at a time (no page is empty).

    A complete mirror of `entity` answers instead of the vendor (`on_plan` says so).
    """
    specs = {f.name: f for f in await backend.fields(entity)}
    if mirror is not None and mirror.ready(entity):
        state = mirror.state(entity)
        if on_plan is not None and state is not None:
            on_plan(Plan(Query(), expr, local=f"local copy, {state.age()}"))
        async for page in mirror_matches(mirror, entity, expr, sort=sort, limit=limit):
            yield page
        return
    if expr.record_id is not None:
        try:
            record = await backend.get(entity, expr.record_id)
        except NotFound:
            return
        if matches(expr, record, specs):
            yield [record]
        return
    chosen = plan(backend, entity, expr, sort=sort, fields=fields)
    if on_plan is not None:
        on_plan(chosen)
    found = 0
    # Without a local rest the server's pages are the answer and `limit` bounds the fetch;
    # with one, every page is read until `limit` matches are found.
    pages = iter_pages(
        backend,
        entity,
        chosen.query,
        limit=None if chosen.rest else limit,
        concurrency=concurrency,
        on_progress=on_progress,
    )
    try:
        async for page in pages:
            hits = [r for r in page if matches(chosen.verify, r, specs)]
            if limit is not None:
                hits = hits[: limit - found]
            if hits:
                found += len(hits)
                yield hits
            if limit is not None and found >= limit:
                return
    finally:
        await pages.aclose()


async def mirror_matches(
    mirror: Mirror,
    entity: str,
    expr: Expr,
    *,
    sort: Sort | None = None,
    limit: int | None = None,
    page_size: int = 500,
) -> AsyncGenerator[list[Record], None]:
    """The matches of `expr` in the local copy, in the list's order, a page at a time."""
    offset = 0
    while limit is None or offset < limit:
        size = page_size if limit is None else min(page_size, limit - offset)
        page = await asyncio.to_thread(
            mirror.page, entity, offset, size, sort=sort, expr=expr if expr else None
        )
        if page:
            yield page
        if len(page) < size:
            return
        offset += len(page)


async def find_one(backend: Backend, entity: str, key: str, mirror: Mirror | None = None) -> Record:
    """The one record `key` names: an id, an email, or any filter; NotFound or ambiguous."""
    spec = await backend.entity(entity)
    fields = await backend.fields(entity)
    expr = parse(key, fields, spec)
    if not expr:
        raise UsageError("give a record id, an email address or a filter")
    found: list[Record] = []
    async for page in iter_matches(backend, entity, expr, limit=11, mirror=mirror):
        found.extend(page)
    if not found:
        raise NotFound(f"no {spec.label} matches {key.strip()!r}")
    if len(found) > 1:
        ids = ", ".join(r.id for r in found[:10])
        more = "+" if len(found) > 10 else ""
        raise UsageError(f"{len(found)}{more} {spec.label} match {key.strip()!r} (ids {ids})")
    return found[0]
