"""Which rows the record list fetches ahead: deep enough for the cursor's speed and the vendor's."""

from __future__ import annotations

import math
from collections import deque

AHEAD = 4
"""Screens fetched ahead, at least, of a cursor that moves a screen at a time."""
REST = 2
"""Screens below the screen fetched while the cursor rests (where two page-downs land)."""
MAX_AHEAD_PAGES = 8
"""Pages ahead of the cursor at most, however fast it goes or slow the vendor answers."""
SPAN = 1.0
"""Seconds of recent moves that give the cursor's speed."""
MIN_SPAN = 0.3
"""The shortest time a speed is measured over (one key is not a run of keys)."""
DEFAULT_ROUND_TRIP = 0.25
"""Seconds a page is taken to need before one has been timed."""
HORIZON = 3.0
"""Round trips of travel fetched ahead: one for the page to arrive, two for keys that come in a
burst (a laggy link, or an app that was busy catching up at twice the pace)."""


class Prefetch:
    """The rows to fetch around a cursor: the screen, and ahead of the cursor in the way it pages.

    A cursor paging a screen at a time gets the rows it will reach within `HORIZON` round trips
    at its recent speed (at least `AHEAD` screens, at most `MAX_AHEAD_PAGES` pages), so a held
    page-down against a slow vendor finds rows; a cursor stepping a row at a time, or jumping,
    gets the screen and `REST` screens below it.
    """

    def __init__(self) -> None:
        self._moves: deque[tuple[float, int]] = deque()  # (time, rows moved), the last SPAN s
        self._round_trips: deque[float] = deque(maxlen=8)
        self._last = 0  # the cursor when last planned
        self._ahead = 0  # rows ahead of the cursor while paging (negative: up), else 0

    def reset(self, cursor: int = 0) -> None:
        """A new list: no heading, no speed (the vendor's round trips still hold)."""
        self._moves.clear()
        self._last, self._ahead = cursor, 0

    def took(self, seconds: float) -> None:
        """A page arrived `seconds` after it was asked for."""
        self._round_trips.append(max(seconds, 0.0))

    @property
    def round_trip(self) -> float:
        """Seconds a page takes to arrive: the slowest of the last few."""
        return max(self._round_trips, default=DEFAULT_ROUND_TRIP)

    def speed(self, now: float) -> float:
        """Rows a second the cursor moved over the last `SPAN` seconds."""
        while self._moves and self._moves[0][0] < now - SPAN:
            self._moves.popleft()
        if not self._moves:
            return 0.0
        travel = sum(rows for _, rows in self._moves)
        return travel / max(now - self._moves[0][0], MIN_SPAN)

    def rows(
        self, cursor: int, top: int, visible: int, page_size: int, now: float
    ) -> tuple[int, int]:
        """The display rows [start, stop) wanted now: the screen and the rows ahead."""
        step, self._last = cursor - self._last, cursor
        visible = max(visible, 1)
        if step:
            self._moves.append((now, abs(step)))
            paging = visible <= abs(step) * 2 <= 20 * visible  # screens at a time, not a jump
            if not paging:
                self._moves.clear()
                self._ahead = 0
            else:
                reach = self.speed(now) * HORIZON * self.round_trip
                rows = max(AHEAD * visible, min(math.ceil(reach), MAX_AHEAD_PAGES * page_size))
                self._ahead = rows if step > 0 else -rows
        bottom = top + visible
        start, stop = top, bottom + REST * visible
        if self._ahead > 0:
            stop = max(stop, cursor + self._ahead + visible)
        elif self._ahead < 0:
            start, stop = max(cursor + self._ahead, 0), bottom
        return max(start, 0), stop

    def keeps(self, page: int, cursor: int, page_size: int) -> bool:
        """Whether a page on its way is near enough to the cursor to let it arrive (it costs a
        call already made, and the cursor may come back to it); farther ones are cancelled."""
        reach = MAX_AHEAD_PAGES * page_size
        return cursor - reach <= page * page_size <= cursor + reach
