"""What `crmtui __complete` offers for profiles, entities, actions and fields, without a network
call: the profile file, the vendor's own description of its entities, the completion cache, and
the embedded demo (in-process) for demo profiles.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from crmtui.cli.completion import profile_key, save_cache


def profiles(context: dict[str, Any]) -> list[str]:
    """Profile names from the profile file (read, not validated; no secret is resolved)."""
    if context.get("demo"):
        from crmtui.sandbox import vendors

        return [f"demo-{name}" for name in vendors.names()]
    from crmtui.profiles.loader import read_toml
    from crmtui.profiles.locations import config_path

    explicit = context.get("config")
    try:
        _text, data = read_toml(config_path(Path(explicit) if explicit else None))
    except Exception:
        return []
    found = data.get("profiles", {})
    return sorted(str(name) for name in found) if isinstance(found, dict) else []


def _profile(context: dict[str, Any]) -> tuple[Any, Any]:
    """The profile named by the words typed so far, and the demo holding it (or None)."""
    from crmtui.profiles.loader import get_profile

    if context.get("demo"):
        from crmtui.services.demo import open_demo

        demo = open_demo()
        return get_profile(demo.config, context.get("profile")), demo
    from crmtui.profiles.loader import load_config

    explicit = context.get("config")
    config = load_config(Path(explicit) if explicit else None)
    return get_profile(config, context.get("profile")), None


def _cached(context: dict[str, Any], cache: dict[str, Any]) -> dict[str, Any]:
    key = profile_key(context.get("profile"), bool(context.get("demo")))
    entry = cache.get("profiles", {}).get(key)
    return entry if isinstance(entry, dict) else {}


def _remember(context: dict[str, Any], cache: dict[str, Any], **values: Any) -> None:
    key = profile_key(context.get("profile"), bool(context.get("demo")))
    cache.setdefault("profiles", {}).setdefault(key, {}).update(values)
    save_cache(cache)


def _offline_backend(profile: Any) -> Any:
    """The profile's backend with no secrets and no HTTP client: it can describe, not call."""
    from crmtui.backends.registry import backend_class

    return backend_class(profile.vendor)(profile, {}, None)  # type: ignore[arg-type]


def entities(context: dict[str, Any], cache: dict[str, Any]) -> list[str]:
    """Entity names: cached, else the vendor's own list (no call is made)."""
    known = _cached(context, cache).get("entities")
    if isinstance(known, list):
        return [str(n) for n in known]
    profile, demo = _profile(context)
    try:
        specs = asyncio.run(asyncio.wait_for(_offline_backend(profile).entities(), 2))
    finally:
        if demo is not None:
            demo.close()
    names = [s.name for s in specs]
    _remember(context, cache, entities=names)
    return names


def actions(context: dict[str, Any]) -> list[str]:
    """The record actions of the entity typed so far (the vendor describes them; no call)."""
    entity = context.get("entity")
    if not entity:
        return []
    profile, demo = _profile(context)
    try:
        specs = asyncio.run(asyncio.wait_for(_offline_backend(profile).actions(entity), 2))
    finally:
        if demo is not None:
            demo.close()
    return [a.name for a in specs]


def fields(context: dict[str, Any], cache: dict[str, Any]) -> list[str]:
    """Field names of the entity typed so far: cached; for the demo, read in-process once."""
    entity = context.get("entity")
    if not entity:
        return []
    known = _cached(context, cache).get("fields", {})
    if isinstance(known, dict) and isinstance(known.get(entity), list):
        return [str(n) for n in known[entity]]
    if not context.get("demo"):
        return []  # a real vendor: `crmtui completion refresh` reads them once
    names = asyncio.run(_demo_fields(context, entity))
    found = dict(known) if isinstance(known, dict) else {}
    found[entity] = names
    _remember(context, cache, fields=found)
    return names


async def _demo_fields(context: dict[str, Any], entity: str) -> list[str]:
    from crmtui.services.session import open_session

    profile, demo = _profile(context)
    try:
        session = await open_session(profile, transport=demo.transports[profile.name])
        try:
            return [f.name for f in await session.backend.fields(entity)]
        finally:
            await session.aclose()
    finally:
        demo.close()
