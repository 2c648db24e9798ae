"""`crmtui edit ENTITY KEY` and `crmtui open ENTITY KEY`: straight to one record in the TUI."""

from __future__ import annotations

import argparse
from functools import partial

from crmtui.errors import NotFound, UsageError
from crmtui.model import FieldType, Filter, Query, Record
from crmtui.services.session import Session

SEARCH_PAGE = 20  # rows asked for in a server-side search by email; more than one is ambiguous


def looks_like_email(key: str) -> bool:
    """Whether `key` is an email address rather than a record id."""
    name, at, domain = key.strip().rpartition("@")
    return bool(at and name and domain)


def _same(value: object, email: str) -> bool:
    return isinstance(value, str) and value.strip().casefold() == email.strip().casefold()


async def find_record(session: Session, entity: str, key: str) -> Record:
    """The record of `entity` whose id is `key`, or whose email field equals `key`.

    By email: a server-side search where the entity has an email search field, else a scan of
    every page (slower on large accounts). No match is NotFound; several are a UsageError.
    """
    backend = session.backend
    spec = await backend.entity(entity)
    if not looks_like_email(key):
        return await backend.get(spec.name, key.strip())
    fields = await backend.fields(spec.name)
    emails = [f.name for f in fields if f.type is FieldType.EMAIL]
    if not emails:
        raise UsageError(f"{spec.label} has no email field; give the record's id instead")
    searchable = [name for name in spec.search_fields if name in emails]
    matches: list[Record] = []
    if searchable:
        query = Query((Filter(searchable[0], key.strip()),))
        page = await backend.list_page(spec.name, query, 0, SEARCH_PAGE)
        matches = [r for r in page.records if any(_same(r.values.get(n), key) for n in emails)]
    else:
        from crmtui.services.paging import iter_records

        async for record in iter_records(backend, spec.name, Query()):
            if any(_same(record.values.get(n), key) for n in emails):
                matches.append(record)
    if not matches:
        raise NotFound(f"no {spec.label} with email {key.strip()!r}")
    if len(matches) > 1:
        ids = ", ".join(r.id for r in matches[:10])
        raise UsageError(
            f"{len(matches)} {spec.label} have email {key.strip()!r} (ids {ids}); give the id"
        )
    return matches[0]


def _launch(args: argparse.Namespace) -> int:
    """Start the TUI on the record; `edit` exits once the form is saved or left."""
    from crmtui.ui.app import StartAt
    from crmtui.ui.launch import run

    start = StartAt(args.entity, partial(_find, args.entity, args.key), edit=args.command == "edit")
    return run(args, start=start)


async def _find(entity: str, key: str, session: Session) -> Record:
    return await find_record(session, entity, key)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `edit` and `open`."""
    for name, what in (
        ("edit", "open the edit form of one record; save (ctrl+s) and crmtui exits"),
        ("open", "show one record in the browser"),
    ):
        parser = sub.add_parser(name, help=what, description=what)
        parser.add_argument("entity", help="entity name, e.g. lead")
        parser.add_argument("key", help="the record's id, or its email address")
        parser.set_defaults(func=_launch)
