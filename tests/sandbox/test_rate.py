"""The emulators' rate windows: sliding (N in any T seconds) and calendar (N per hour or day)."""

from __future__ import annotations

from crmtui.sandbox.rate import CalendarWindow, SlidingWindow


def test_a_sliding_window_refuses_the_call_over_the_limit_until_the_oldest_ages_out() -> None:
    window = SlidingWindow(2, 1.0)
    assert window.take(10.0) and window.take(10.5)
    assert not window.take(10.9)  # refused, and not counted
    assert window.take(11.0)  # the call at 10.0 is a full second old
    assert not window.take(11.4)


def test_a_calendar_window_resets_on_the_boundary_and_obeys_the_exhausted_switch() -> None:
    hour = CalendarWindow(2, 3600)
    assert hour.take(7200.0) and hour.take(7300.0)
    assert not hour.take(10799.0) and hour.remaining() == 0
    assert hour.resets_at() == 10800
    assert hour.take(10800.0) and hour.remaining() == 1
    assert not hour.take(10801.0, exhausted=True) and hour.remaining(exhausted=True) == 0
    assert hour.used == 1  # refused calls are not counted
