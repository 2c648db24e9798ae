"""Requests sent at once: the first failure cancels the others and is raised as itself."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import Any, TypeVar

A = TypeVar("A")
B = TypeVar("B")
T = TypeVar("T")


async def all_of(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """The results of `awaitables`, run at once, in their order.

    Unlike `asyncio.gather`, a failure cancels (and waits for) the others, so none is left
    running; unlike a TaskGroup, the error is raised as it is, not in an ExceptionGroup (callers
    catch AuthError, NotFound... as they would for one request).
    """
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def both(first: Awaitable[A], second: Awaitable[B]) -> tuple[A, B]:
    """`first` and `second` at once (see `all_of`)."""
    results: list[Any] = await all_of([first, second])
    return results[0], results[1]
