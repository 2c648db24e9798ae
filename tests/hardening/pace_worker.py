"""One process of a pacing run: `python pace_worker.py PROFILES PROFILE COUNT CONCURRENCY
[ENTITY]` opens the profile as crmtui does and reads COUNT one-record pages of ENTITY (lead),
CONCURRENCY at a time."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from crmtui.model import Query
from crmtui.profiles.loader import get_profile, load_config
from crmtui.services.session import open_session


async def run(
    profiles: Path, name: str, count: int, concurrency: int, entity: str = "lead"
) -> None:
    """COUNT small reads through the profile's session (its pacing, its retries)."""
    session = await open_session(get_profile(load_config(profiles), name))
    gate = asyncio.Semaphore(concurrency)

    async def one(offset: int) -> None:
        async with gate:
            await session.backend.list_page(entity, Query(), offset, 1)

    try:
        await asyncio.gather(*(one(n) for n in range(count)))
    finally:
        await session.aclose()


if __name__ == "__main__":
    entity = sys.argv[5] if len(sys.argv) > 5 else "lead"
    asyncio.run(run(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), entity))
