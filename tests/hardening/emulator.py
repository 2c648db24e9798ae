"""The sandbox served on loopback with a recorder in front: the arrival time of every request at
the emulator, per vendor, so pacing is measured where the vendor would count it."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from crmtui.sandbox.serve import VENDORS, build_server_app, save_profiles
from crmtui.sandbox.store import Store

# The documented windows of the vendors with one: (requests, seconds).
WINDOWS = {"sharpspring": (10, 1.0), "leadsquared": (25, 5.0), "influencersoft": (5, 1.0)}


@dataclass
class Recorded:
    """The served sandbox: its profiles file and what arrived, by vendor."""

    port: int
    profiles: Path
    arrivals: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))


def busiest_window(stamps: list[float], period: float) -> int:
    """The most arrivals in any closed interval [t, t + period] (two pointers: linear)."""
    stamps = sorted(stamps)
    best = start = 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] > period:
            start += 1
        best = max(best, end - start + 1)
    return best


@contextmanager
def recorded_sandbox(
    folder: Path, records: int, vendors: Sequence[str] = VENDORS
) -> Iterator[Recorded]:
    """The `vendors`' emulators on a free loopback port, behind the recorder, until the block
    ends; `profiles` holds a `sandbox-VENDOR` profile for each."""
    store = Store(folder / "store.sqlite3")
    app = build_server_app(store, vendors, records=records)
    box: dict[str, Recorded] = {}

    async def recorder(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        vendor = scope["path"].strip("/").split("/")[0]
        box["r"].arrivals[vendor].append(time.monotonic())

        async def status(message: Any) -> None:
            if message["type"] == "http.response.start":
                box["r"].statuses[vendor].append(message["status"])
            await send(message)

        await app(scope, receive, status)

    config = uvicorn.Config(recorder, host="127.0.0.1", port=0, log_level="warning",
                            lifespan="off")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="recorded-sandbox", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the recorded sandbox did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    profiles = folder / "profiles.toml"
    save_profiles(profiles, "127.0.0.1", port, vendors)
    box["r"] = Recorded(port, profiles)
    try:
        yield box["r"]
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        store.close()
