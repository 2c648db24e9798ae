"""Vendor timestamps in the user's zone: the per-hour shortcut converts as `astimezone()` does."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

CHECK = textwrap.dedent(
    """
    import datetime as dt, random, sys, time
    from zoneinfo import ZoneInfo
    from crmtui.backends.local_time import LocalTime

    rng = random.Random(5)
    checked = 0
    fixed = {"UTC": dt.UTC, "-05:30": dt.timezone(dt.timedelta(hours=-5, minutes=-30))}
    for name in ("UTC", "-05:30", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"):
        zone = fixed.get(name) or ZoneInfo(name)
        convert = LocalTime(zone)
        # every minute around this year's and next year's transitions, and random instants
        starts = [dt.datetime(y, m, d) for y in (2024, 2025) for m, d in
                  ((3, 8), (3, 29), (4, 5), (10, 4), (10, 25), (11, 1))]
        moments = [s + dt.timedelta(minutes=k) for s in starts for k in range(0, 3 * 24 * 60, 7)]
        moments += [dt.datetime(2000, 1, 1) + dt.timedelta(seconds=rng.randrange(10**9))
                    for _ in range(3000)]
        texts = [m.strftime("%Y-%m-%d %H:%M:%S") for m in moments]
        texts += ["2024-06-11T14:17:40", "2024-06-11 14:17:40.250", "2024-06-11 14:17+05",
                  "2024-06-11 14:17:40+02:00", "2024-06-11"]
        for text in texts:
            want = dt.datetime.fromisoformat(text).replace(tzinfo=zone).astimezone()
            got = convert.parse(text)
            assert (got, got.utcoffset(), got.tzname(), repr(got)) == (
                want, want.utcoffset(), want.tzname(), repr(want)), (name, text, got, want)
            checked += 1
    print(checked)
    """
)


@pytest.mark.parametrize("user_zone", ["UTC", "America/New_York", "Australia/Lord_Howe"])
def test_timestamps_convert_as_astimezone_does_across_transitions(user_zone: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        env={"TZ": user_zone, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > 10_000


def test_a_change_of_the_users_zone_is_seen() -> None:
    script = textwrap.dedent(
        """
        import datetime as dt, os, time
        from crmtui.backends.local_time import LocalTime
        convert = LocalTime(dt.UTC)
        before = convert.parse("2024-06-11 14:17:40")
        os.environ["TZ"] = "Asia/Kolkata"
        time.tzset()
        after = convert.parse("2024-06-11 14:17:40")
        print(before.isoformat(), after.isoformat())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2024-06-11T14:17:40+00:00", "2024-06-11T19:47:40+05:30"]
