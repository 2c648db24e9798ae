"""Vendor timestamps shown in the user's zone: `aware.astimezone()`, the zone looked up per hour.

`astimezone()` asks the C library for the local zone at every call (a few microseconds: a page
of 500 leads with two timestamps each spent most of its typing time there). The local zone's
offset changes at most at a DST transition, so it is looked up once per hour of the vendor's
clock and reused for every timestamp in that hour — unless the hour holds a transition (of the
vendor's zone or the user's), where each timestamp is converted exactly as before.
"""

from __future__ import annotations

import datetime as dt
import time

_HOUR = dt.timedelta(hours=1)
_MAX_HOURS = 50_000  # hours remembered at most (some six years of timestamps)
_UNSEEN = dt.timezone(dt.timedelta(0), "unseen")  # an hour not looked up yet


class LocalTime:
    """`parse(text)`: vendor text in `zone` as an aware datetime in the user's zone."""

    def __init__(self, zone: dt.tzinfo) -> None:
        self.zone = zone
        self._hours: dict[tuple[int, int, int, int], dt.tzinfo | None] = {}
        self._seen = time.tzname  # a new tuple after time.tzset(): the user's zone changed
        # A zone of one fixed offset is written after the text, so that one call parses it
        # (`replace(tzinfo=...)` costs more than the parse).
        self._suffix = _suffix(zone)

    def parse(self, text: str) -> dt.datetime:
        """`datetime.fromisoformat(text).replace(tzinfo=zone).astimezone()`, faster."""
        aware: dt.datetime | None = None
        if self._suffix is not None and len(text) == 19:  # "YYYY-MM-DD HH:MM:SS"
            try:
                aware = dt.datetime.fromisoformat(text + self._suffix)
            except ValueError:
                aware = None
        if aware is None:
            aware = dt.datetime.fromisoformat(text).replace(tzinfo=self.zone)
        key = (aware.year, aware.month, aware.day, aware.hour)
        # one look in the dict: pages may be typed in several threads, and another may clear it
        local = self._hours.get(key, _UNSEEN)
        if local is _UNSEEN or time.tzname is not self._seen:
            local = self._local_zone(key)
        return aware.astimezone() if local is None else aware.astimezone(local)

    def _local_zone(self, key: tuple[int, int, int, int]) -> dt.tzinfo | None:
        """The user's zone for the hour `key` of the vendor's clock, or None when it changes
        within that hour (or the vendor's clock skips or repeats it)."""
        if time.tzname is not self._seen or len(self._hours) >= _MAX_HOURS:
            self._hours.clear()
            self._seen = time.tzname
        local: dt.tzinfo | None = None
        try:
            start = dt.datetime(*key, tzinfo=self.zone)
            end = (dt.datetime(*key) + _HOUR).replace(tzinfo=self.zone)
            begins, ends = start.timestamp(), end.timestamp()
            if ends - begins == 3600:
                first, last = time.localtime(begins), time.localtime(ends - 1)
                if (first.tm_gmtoff, first.tm_zone) == (last.tm_gmtoff, last.tm_zone):
                    offset = dt.timedelta(seconds=first.tm_gmtoff)
                    local = dt.timezone(offset, first.tm_zone)
        except (OverflowError, ValueError, OSError):  # the far past or future: exactly
            local = None
        self._hours[key] = local
        return local


def _suffix(zone: dt.tzinfo) -> str | None:
    """The ISO offset that makes a naive timestamp's text one in `zone`, when `zone` is a fixed
    offset (UTC, a `datetime.timezone`); None for zones with transitions."""
    if not isinstance(zone, dt.timezone):
        return None
    offset = zone.utcoffset(None)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(offset) // dt.timedelta(minutes=1)
    if abs(offset) % dt.timedelta(minutes=1):
        return None
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
