"""Shared set-up of the hardening tests: a small demo whose first leads hold hostile text."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from crmtui.services.demo import open_demo
from tests.serving import sandbox_serve

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


@dataclass
class Served:
    """A running `crmtui sandbox serve` and the profiles file it wrote."""

    port: int
    profiles: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`crmtui sandbox serve` on a free loopback port with 60 leads per vendor."""
    with sandbox_serve(tmp_path_factory.mktemp("served"), records=60) as server:
        yield Served(server.port, server.profiles)


def crmtui(
    *args: str,
    data: Path,
    config: Path | None = None,
    wrap: Sequence[str] = (),
    timeout: float = 90,
) -> subprocess.CompletedProcess[str]:
    """`python -m crmtui ARGS` as a user runs it, with its data dir at `data`; `wrap` is a
    command put in front (e.g. `unshare --user`)."""
    command = [*wrap, sys.executable, "-m", "crmtui", *args]
    if config is not None:
        command += ["--config", str(config)]
    env = {**os.environ, "CRMTUI_DATA_DIR": str(data)}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL
    )
