"""The chaos run across processes (CI size): one journal shared by several writers and a
compactor loses nothing; hostile server answers crash nothing and print no escape or secret.
The shared rate budget is measured at the emulator in tests/hardening/test_pacing_processes.py
and by `python scripts/chaos.py`."""

from __future__ import annotations

import pytest

from .hostile import ANSWERS, hostile_run, hostile_table
from .processes import journal_run, journal_table


def test_processes_sharing_one_journal_lose_no_line() -> None:
    report = journal_run(processes=3, entries=40)
    print(journal_table(report))
    assert report.compactions > 10  # it really compacted while they wrote
    assert report.lost == 0


@pytest.mark.parametrize("vendor", ["cmdatamanager", "sharpspring"])
def test_hostile_answers_crash_nothing_and_print_no_escape(vendor: str) -> None:
    report = hostile_run((vendor,))
    print(hostile_table(report))
    assert report.tried == len(ANSWERS) * 8
    assert report.crashes == []
    assert report.escapes == []
    assert report.leaked == []
