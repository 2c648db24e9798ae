"""Open the session a command asked for: a profile from the TOML file, or an embedded demo."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from crmtui.cli.errors import remember
from crmtui.errors import UsageError
from crmtui.services.session import Session, open_session
from crmtui.services.write_policy import ConfirmationNeeded, WritePath, WriteRefused, decide


@asynccontextmanager
async def session_from_args(args: argparse.Namespace) -> AsyncIterator[Session]:
    """The session for `--profile`/`--config`, or for `--demo`; closed on exit."""
    transport = None
    demo = None
    if getattr(args, "demo", False):
        from crmtui.services.demo import open_demo

        demo = open_demo(reset=getattr(args, "reset", False))
        config = demo.config
    else:
        from crmtui.profiles.loader import load_config

        config = load_config(
            getattr(args, "config", None), lazy=True, profile=getattr(args, "profile", None)
        )
        for warning in getattr(config, "warnings", []):
            print(f"warning: {warning}", file=sys.stderr)
    from crmtui.profiles.loader import get_profile

    try:
        profile = get_profile(config, getattr(args, "profile", None))
        if demo is not None:
            transport = demo.transports[profile.name]
        session = await open_session(profile, transport=transport)
        remember(session.redactor)
        try:
            yield session
        finally:
            await session.aclose()
    finally:
        if demo is not None:
            demo.close()


def confirm_write(
    session: Session, args: argparse.Namespace, path: WritePath, summary: str
) -> None:
    """Apply the write policy to a command: refuse, ask on the terminal (`--yes` answers), or go."""
    verdict = decide(session.profile, path)
    if verdict.refused:
        raise WriteRefused(verdict.message)
    if not verdict.asks or getattr(args, "yes", False):
        return
    if not sys.stdin.isatty():
        raise ConfirmationNeeded(verdict.ask_message)
    print(summary, file=sys.stderr)
    answer = input("Apply? [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise UsageError("cancelled; nothing was sent")


Handler = Callable[[Session, argparse.Namespace], Awaitable[int]]


def with_session(handler: Handler) -> Callable[[argparse.Namespace], int]:
    """A command's `func`: open the session the options name, run `handler`, close it."""

    def run(args: argparse.Namespace) -> int:
        async def go() -> int:
            async with session_from_args(args) as session:
                return await handler(session, args)

        return asyncio.run(go())

    return run


def field_values(items: Sequence[str]) -> dict[str, str]:
    """`field=value` arguments as a mapping; UsageError naming a malformed one."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"expected field=value, not {item!r}")
        values[name.strip()] = value
    return values
