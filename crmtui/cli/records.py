"""Record commands: entities, fields, get; list (records_list) and the writes (records_write)."""

from __future__ import annotations

import argparse

from crmtui.cli.context import with_session
from crmtui.cli.edit_cmd import looks_like_email
from crmtui.cli.records_list import add_list_parser
from crmtui.cli.records_write import add_write_parsers, print_record
from crmtui.model.sanitize import dumps, inert
from crmtui.services import search
from crmtui.services.mirror_sync import mirror_for
from crmtui.services.session import Session
from crmtui.services.watch import summary


async def _entities(session: Session, args: argparse.Namespace) -> int:
    for spec in await session.backend.entities():
        caps = ",".join(sorted(c.value for c in spec.capabilities))
        custom = " (custom)" if spec.custom else ""
        print(f"{spec.name:<16} {spec.label}{custom}  [{caps}]")
    return 0


async def _fields(session: Session, args: argparse.Namespace) -> int:
    specs = await session.backend.fields(args.entity)
    if args.format == "json":
        rows = [
            {
                "name": s.name,
                "label": s.label,
                "type": s.type.value,
                "required": s.required,
                "read_only": s.read_only,
                "max_length": s.max_length,
                "custom": s.custom,
                "choices": [c.value for c in s.choices],
                "reference": s.reference,
            }
            for s in specs
        ]
        print(dumps(rows, indent=2))
        return 0
    for s in specs:
        flags = [
            f
            for f, on in (
                ("required", s.required),
                ("read-only", s.read_only),
                ("custom", s.custom),
            )
            if on
        ]
        extra = f" max {s.max_length}" if s.max_length else ""
        if s.choices:
            extra += " [" + "|".join(c.value for c in s.choices) + "]"
        print(inert(f"{s.name:<24} {s.type.value:<9} {s.label}{extra} {' '.join(flags)}".rstrip()))
    return 0


async def _get(session: Session, args: argparse.Namespace) -> int:
    if looks_like_email(args.id) or any(op in args.id for op in "=~<>"):
        mirror = mirror_for(session)
        record = await search.find_one(session.backend, args.entity, args.id, mirror)
    else:
        record = await session.backend.get(args.entity, args.id.strip())
    specs = {s.name: s for s in await session.backend.fields(args.entity)}
    print_record(record, specs, args.format)
    if args.related:
        for group in await session.backend.related(args.entity, record.id):
            spec = await session.backend.entity(group.entity)
            print(f"\n{inert(group.label)}: {len(group.records)}")
            for item in group.records:
                print(inert(f"  {item.id}  {item.title(spec)}  {summary(item, spec)}".rstrip()))
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the record commands."""
    p = sub.add_parser("entities", help="list the entities the profile's vendor offers")
    p.set_defaults(func=with_session(_entities))

    p = sub.add_parser("fields", help="describe the fields of an entity")
    p.add_argument("entity")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=with_session(_fields))

    add_list_parser(sub)

    p = sub.add_parser("get", help="show one record")
    p.add_argument("entity")
    p.add_argument("id", help="the record's id, its email address or a filter")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--related", action="store_true", help="also the records tied to it (activity, lists)"
    )
    p.set_defaults(func=with_session(_get))

    add_write_parsers(sub)
