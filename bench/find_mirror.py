"""The million-lead mirror the find figures search: synthetic leads bulk-loaded into the
CMDataManager demo's mirror, kept in a cache between runs (the build takes minutes).
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import os
import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.core import stopwatch

FIRST = ("Ada", "Ben", "Chloe", "Dara", "Ewan", "Freya", "Hana", "Isla", "Jamal", "Kai", "Leo")
LAST = ("Smith", "Jones", "Kelly", "Patel", "Nguyen", "Rossi", "Dubois", "Khan", "Owen", "Lee")
CITIES = ("Leeds", "London", "Paris", "Berlin", "Dublin", "Bristol", "Glasgow", "Madrid")
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "crmtui-bench"
"""Where a built mirror is kept between runs (the million-lead build takes minutes)."""


def _leads(count: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        # a few distinct last names, so a contains-search has a small answer somewhere
        if i % 50_000 == 17:
            last = f"Quenneville{i}"
        yield {
            "FirstName": first,
            "LastName": last,
            "Email": f"{first.lower()}.{last.lower()}{i}@example{i % 97}.com",
            "Phone": f"+44 20 {i:08d}",
            "Company": f"{rng.choice(LAST)} {rng.choice(('Ltd', 'LLP', 'Inc'))}",
            "City": rng.choice(CITIES),
            "Status": rng.choice(("New", "Open", "Won")),
            "Score": rng.randint(0, 100),
        }


def build(data_dir: Path, count: int, cache: Path | None = None) -> dict[str, Any]:
    """A CMDataManager demo with a mirror of `count` synthetic leads; sizes and JSON bytes.

    With `cache`, a mirror built before from the same leads, layout and schema is copied in
    instead of built again (the copy is kept there after a build).
    """
    from crmtui.model.filter import word_fields
    from crmtui.services.demo import open_demo
    from crmtui.services.mirror import CATALOGUE, Mirror
    from crmtui.services.mirror_sql import layout_for

    demo = open_demo(data_dir=data_dir, records=1_000)

    async def describe() -> tuple[Any, Any]:
        from crmtui.services.session import open_session

        profile = demo.config.profiles["demo-cmdatamanager"]
        session = await open_session(profile, transport=demo.transports[profile.name])
        try:
            return await session.backend.entity("lead"), await session.backend.fields("lead")
        finally:
            await session.aclose()

    spec, fields = asyncio.run(describe())
    demo.close()
    layout = layout_for("lead", fields, word_fields(fields, spec))
    mirror = Mirror.for_profile("demo-cmdatamanager", data_dir)
    mirror.close()
    made = [count, layout.columns_json(), *layout.schema(), CATALOGUE, sqlite3.sqlite_version]
    made += [inspect.getsource(f) for f in (_leads, _fill)]
    key = hashlib.sha256(json.dumps(made).encode()).hexdigest()[:16]
    kept = cache / f"find-{count}-{key}.sqlite3" if cache is not None else None
    meta = kept.with_suffix(".json") if kept is not None else None
    if kept is not None and meta is not None and kept.exists() and meta.exists():
        for side in ("", "-wal", "-shm"):
            Path(f"{mirror.path}{side}").unlink(missing_ok=True)
        shutil.copyfile(kept, mirror.path)
        os.chmod(mirror.path, 0o600)
        return {**json.loads(meta.read_text()), "path": str(mirror.path), "cached": str(kept)}
    built = {**_fill(mirror.path, layout, count), "path": str(mirror.path)}
    if kept is not None and meta is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        for old in kept.parent.glob(f"find-{count}-*"):
            old.unlink()  # an older layout's copy: never read again
        part = kept.with_suffix(".part")
        shutil.copyfile(mirror.path, part)
        part.rename(kept)
        meta.write_text(json.dumps(built))
    return built


def _fill(path: Path, layout: Any, count: int) -> dict[str, Any]:
    """Bulk-load `count` synthetic leads into the mirror at `path`, checkpointed to one file."""
    from crmtui.model import Record
    from crmtui.services.mirror import Mirror
    from crmtui.services.mirror_sql import row_of

    mirror = Mirror(path)
    mirror.clear("lead")
    json_bytes = 0
    elapsed = stopwatch()

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal json_bytes
        for i, values in enumerate(_leads(count)):
            rid = f"B{i:07d}"
            json_bytes += len(json.dumps({"id": rid, **values}, separators=(",", ":"))) + 1
            yield row_of(Record("lead", rid, values), layout, 0)

    mirror.bulk_load(layout, rows())
    mirror.mark_synced("lead", complete=True, cursor="2100-01-01T00:00:00+00:00")
    mirror.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    mirror.close()
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return {
        "layout": layout.columns_json(),
        "size": size,
        "json": json_bytes,
        "build_s": elapsed(),
    }
