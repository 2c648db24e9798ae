"""Shared set-up of the hardening tests: a small demo whose first leads hold hostile text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from crmtui.services.demo import open_demo

PROFILE = "demo-cmdatamanager"
HOSTILE = {
    "FirstName": "A\x1b]0;title\x07B",  # OSC 0: window title
    "LastName": "C\x1b]52;c;ZXZpbA==\x07D",  # OSC 52: clipboard write
    "City": "E\x1b[2JF\x9b31mG",  # CSI 2J, raw C1 CSI
    "Company": "H\u202eI\x85J",  # bidi override, NEL
    "JobTitle": "\t=HYPERLINK(1)",  # formula behind a tab
    "Street": "\r=cmd|' /c calc'!A1",  # formula behind a CR
}
UNSAFE = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]} | {
    "\u202e",
    "\u2066",
}


@dataclass
class HostileDemo:
    """The demo profile to use and the id of the lead holding `HOSTILE`."""

    profile: str
    lead_id: str


@pytest.fixture
def hostile_demo() -> Iterator[HostileDemo]:
    """A 20-lead demo store (in the test's data dir) whose first lead holds `HOSTILE`."""
    demo = open_demo(records=20)
    try:
        store = demo.stores[PROFILE]
        lead_id, data = store.list("cmdatamanager", "lead", offset=0, limit=1)[0]
        store.update("cmdatamanager", "lead", lead_id, {**data, **HOSTILE})
    finally:
        demo.close()
    yield HostileDemo(PROFILE, lead_id)


def raw_unsafe(text: str) -> list[str]:
    """The unsafe characters `text` carries raw, as U+XXXX (empty when it is inert); CRLF line
    ends (CSV's) are fine."""
    return sorted({f"U+{ord(c):04X}" for c in text.replace("\r\n", "\n") if c in UNSAFE})
