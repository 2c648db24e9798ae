"""A profile's first entity and its fields, fetched while the screen that shows them is built.

Signing in and reading the fields are round trips to the vendor. `start` begins them as soon as
the session is open, so they travel while the main screen is composed and mounted; the screen
then takes the fields from `fields`, which asks the vendor only if that fetch was for another
entity or failed (its error is then the one reported).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from weakref import WeakKeyDictionary

from crmtui.backends.base import Backend
from crmtui.model import FieldSpec, Query
from crmtui.services import paging

Fetched = tuple[str | None, list[FieldSpec]]
_started: WeakKeyDictionary[Backend, asyncio.Task[Fetched]] = WeakKeyDictionary()


def first_entity(names: Sequence[str], wanted: str | None) -> str | None:
    """The entity a profile opens on: the wanted one, else the lead, else the first."""
    if wanted is not None and wanted in names:
        return wanted
    return "lead" if "lead" in names else (names[0] if names else None)


def start(backend: Backend, wanted: str | None, local: Callable[[str], bool] | None = None) -> None:
    """Begin fetching the fields of the entity the screen will open (within the running loop).

    `local` tells whether an entity's list is read from a local copy (a complete mirror): its
    first page is then not asked of the vendor.
    """

    async def fetch() -> Fetched:
        names = [spec.name for spec in await backend.entities()]
        name = first_entity(names, wanted)
        if name is not None and not (local is not None and local(name)):
            # its first page travels with the fields (the list takes it: `paging.fetch_page`)
            paging.prefetch(backend, name, Query(), 0, max(1, min(100, backend.max_page_size)))
        return name, ([] if name is None else await backend.fields(name))

    stop(backend)
    task = asyncio.ensure_future(fetch())
    task.add_done_callback(_retrieve)
    _started[backend] = task


async def fields(backend: Backend, entity: str) -> list[FieldSpec]:
    """`entity`'s fields: from the fetch `start` began (taken once), else asked for now."""
    task = _started.pop(backend, None)
    if task is not None:
        with contextlib.suppress(Exception):  # asked again below, which reports its own error
            name, found = await task
            if name == entity:
                return found
    return await backend.fields(entity)


def stop(backend: Backend) -> None:
    """Drop a fetch nobody took (the session closed, or another was started)."""
    task = _started.pop(backend, None)
    if task is not None:
        task.cancel()
    paging.forget(backend)


def _retrieve(task: asyncio.Task[Fetched]) -> None:
    """A fetch that failed while nobody waited is not an unhandled error: `fields` asks again."""
    if not task.cancelled():
        task.exception()
