"""A burst of 100 LeadSquared reads under the 25-calls-per-5-s cap: paced, with no 429.

Time is virtual: the client's waits are not slept but added to the sandbox's clock, so the test
measures the schedule the pacing produces (the real-time run takes the same ~15.3 s of waits).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque

from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.sandbox.leadsquared.app import create_app, sandbox_profile
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.session import open_session

BASE = "https://lsq.invalid"
BURST = 100


async def test_a_burst_of_100_reads_is_paced_under_the_cap_with_no_429() -> None:
    slept = 0.0
    start = time.monotonic()

    def clock() -> float:
        return 1_800_000_000.0 + (time.monotonic() - start) + slept

    async def sleep(seconds: float) -> None:
        nonlocal slept
        slept += max(seconds, 0.0)
        await asyncio.sleep(0)

    app = create_app(Store(), records=200, seed=5, clock=clock)
    profile = LeadSquaredProfile.model_validate(
        {"name": "burst", "vendor": "leadsquared", "base_url": BASE, **sandbox_profile(BASE)}
    )
    session = await open_session(profile, transport=in_process_transport(app))
    try:
        http = session.backend.http
        http._sleep = http.limiter._sleep = sleep
        http._clock = clock  # the request log stamps calls on the same virtual clock
        await session.backend.fields("lead")  # metadata first, as any session does
        http.limiter.hold(5.2)  # then a quiet window, so the burst starts on an empty one
        ((lead_id, _),) = app.state.store.list("leadsquared", "lead", offset=0, limit=1)
        first = len(http.log.entries)
        await asyncio.gather(*(session.backend.get("lead", lead_id) for _ in range(BURST)))
        entries = http.log.entries[first:]
        done = clock()
    finally:
        await session.aclose()
    refused = sum(1 for e in entries if e.status == 429)
    stamps = sorted(e.started for e in entries)
    elapsed = done - stamps[0]
    busiest = _busiest(stamps, 5.0)
    print(
        f"\nLeadSquared burst: {BURST} reads in {elapsed:.1f} s (20 s = four full 25-call "
        f"windows; the last call starts after three), {refused} x 429, at most {busiest} "
        f"calls in any 5 s"
    )
    assert len(entries) == BURST and refused == 0
    assert busiest <= 25
    assert 15.0 <= elapsed < 20.0


def _busiest(stamps: list[float], period: float) -> int:
    window: deque[float] = deque()
    best = 0
    for stamp in stamps:
        window.append(stamp)
        while window[0] <= stamp - period:
            window.popleft()
        best = max(best, len(window))
    return best
