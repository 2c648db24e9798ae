"""`crmtui find TEXT`: which CRM holds this person, searched across every profile at once."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from crmtui.cli.errors import remember
from crmtui.errors import CrmError
from crmtui.model.sanitize import dumps, inert
from crmtui.profiles.model import Config
from crmtui.services.find import Answer, find_everywhere
from crmtui.services.session import Session, open_session


@dataclass
class Opened:
    """The sessions of every profile, and the profiles that could not open (with why)."""

    sessions: list[Session] = field(default_factory=list)
    failed: list[Answer] = field(default_factory=list)
    by_name: dict[str, Session] = field(default_factory=dict)
    config: Config | None = None
    config_path: Path | None = None  # None for the demo (nothing to save mappings in)


@asynccontextmanager
async def all_sessions(
    args: argparse.Namespace, only: list[str] | None = None
) -> AsyncIterator[Opened]:
    """A session per profile (the demo's or the profile file's), opened at once; closed on exit."""
    demo = None
    if getattr(args, "demo", False):
        from crmtui.services.demo import open_demo

        demo = open_demo(reset=getattr(args, "reset", False))
        config = demo.config
    else:
        from crmtui.profiles.loader import load_config

        config = load_config(getattr(args, "config", None))
    profiles = [p for n, p in config.profiles.items() if only is None or n in only]
    opened = Opened(config=config, config_path=None if demo is not None else config.path)

    async def one(profile: object) -> Session | Answer:
        name = getattr(profile, "name", "?")
        try:
            transport = demo.transports[name] if demo is not None else None
            return await open_session(profile, transport=transport)  # type: ignore[arg-type]
        except CrmError as exc:
            return Answer(name, getattr(profile, "vendor", "?"), error=inert(str(exc)))

    try:
        async with AsyncExitStack() as stack:
            for result in await asyncio.gather(*(one(p) for p in profiles)):
                if isinstance(result, Answer):
                    opened.failed.append(result)
                    continue
                stack.push_async_callback(result.aclose)
                remember(result.redactor)
                opened.sessions.append(result)
                opened.by_name[result.profile.name] = result
            yield opened
    finally:
        if demo is not None:
            demo.close()


def _row_json(answer: Answer) -> dict[str, object]:
    return {
        "profile": answer.profile,
        "vendor": answer.vendor,
        "error": answer.error or None,
        "searched": answer.how,
        "seconds": round(answer.seconds, 3),
        "requests": answer.requests,
        "hits": [
            {
                "entity": h.entity,
                "id": h.record.id,
                "title": h.title,
                "fields": h.fields,
                "changed": h.changed or None,
            }
            for h in answer.hits
        ],
    }


def _print(answers: list[Answer]) -> None:
    for a in answers:
        head = f"{a.profile} ({a.vendor})"
        if a.error:
            print(inert(f"{head}: failed: {a.error}"))
            continue
        if not a.hits:
            print(inert(f"{head}: no match ({'; '.join(a.how) or 'nothing searchable'})"))
            continue
        for h in a.hits:
            extra = "  ".join(f"{k}: {v}" for k, v in h.fields.items())
            when = f"  changed {h.changed}" if h.changed else ""
            print(inert(f"{head}: {h.entity_label} {h.record.id}  {h.title}  {extra}{when}"))


def _run(args: argparse.Namespace) -> int:
    async def go() -> int:
        start = time.monotonic()
        async with all_sessions(args, args.only) as opened:
            answers = await find_everywhere(
                opened.sessions, args.text, limit=args.limit, timeout=args.timeout
            )
        answers += opened.failed
        total = time.monotonic() - start
        if args.format == "json":
            print(dumps({"text": args.text, "seconds": round(total, 3),
                         "profiles": [_row_json(a) for a in answers]}, indent=2))  # fmt: skip
        else:
            _print(answers)
            spent = sum(a.requests for a in answers)
            sys.stdout.flush()
            print(f"{len(answers)} profiles in {total:.2f}s, {spent} requests", file=sys.stderr)
        return 0 if any(a.hits for a in answers) else 1

    return asyncio.run(go())


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `find`."""
    p = sub.add_parser("find", help="find a person (email, name or id) in every profile at once")
    p.add_argument("text", help="an email, a name, or a record id")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--limit", type=int, default=5, help="matches per entity and profile")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per profile")
    p.add_argument("--only", action="append", help="search this profile only (repeatable)")
    p.set_defaults(func=_run)
