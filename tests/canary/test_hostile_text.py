"""RELIABILITY 16 with hypothesis: generated vendor text (C0/C1, DEL, bidi overrides, escape
sequences, markup) in the record list and the detail pane: no crash, no action, nothing raw."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmtui.model import Record
from crmtui.ui.app import make_app
from crmtui.ui.prefs import load_prefs
from tests.fakes import FakeBackend, FakeProfile, FakeSession, lead
from tests.ui.helpers import main_screen, screen_text, settle

DANGEROUS = [chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
PIECES = ["\x1b]0;pwned\x07", "\x1b]52;c;ZXZpbA==\x07", "\x1b[2J", "\x9b31m", "[/oops]",
          "[@click=app.quit]x[/]", "[link=https://evil.invalid]y[/link]", "[b]", "ok"]  # fmt: skip
hostile = st.lists(
    st.one_of(st.sampled_from(DANGEROUS + BIDI + PIECES), st.text(max_size=5)),
    min_size=1,
    max_size=8,
).map("".join)
FORBIDDEN = set(DANGEROUS + BIDI) - {"\n"}


async def _show(values: dict[str, str]) -> tuple[str, bool]:
    backend = FakeBackend()
    backend.data["lead"][0] = Record("lead", "1", {**lead(1).values, **values})
    session = FakeSession(backend, FakeProfile(name="test"))

    async def opener(name: str) -> Any:
        return session

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(opener=opener, profiles=["test"], prefs=load_prefs(Path(folder)),
                       theme="textual-dark")  # fmt: skip
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            assert main_screen(app).records.current is not None
            text = screen_text(app)  # list and detail pane (the first record is selected)
            running = app.is_running
    return text, running


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(first=hostile, last=hostile, email=hostile)
def test_generated_vendor_text_never_reaches_the_terminal_raw(
    first: str, last: str, email: str
) -> None:
    text, running = asyncio.run(_show({"first_name": first, "last_name": last, "email": email}))
    assert running  # no MarkupError, no quit action
    raw = sorted({f"U+{ord(c):04X}" for c in text if c in FORBIDDEN})
    assert raw == [], raw
