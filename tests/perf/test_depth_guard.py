"""The nesting guard on every answer: C-speed passes, still exact about strings and escapes."""

from __future__ import annotations

import json
import time

from crmtui.http.depth import MAX_DEPTH, too_deep

DEEP = b"[" * (MAX_DEPTH + 50) + b"]" * (MAX_DEPTH + 50)


def test_an_escaped_backslash_ends_its_string() -> None:
    assert too_deep(b'["a\\\\", ' + DEEP + b"]")


def test_brackets_after_an_escaped_quote_stay_inside_the_string() -> None:
    assert not too_deep(b'["\\"' + b"[" * 300 + b'", 1]')
    assert not too_deep(b'{"k\\\\\\"[": "' + b"{" * 300 + b'"}')


def test_a_page_of_leads_is_checked_quickly() -> None:
    lead = {"Name": 'Ada "A" [x] {y} \\ z' * 4, "Tags": [1, {"a": [2]}]}
    page = json.dumps({"Entity": [dict(lead, id=i) for i in range(1000)]}).encode()
    started = time.process_time()
    for _ in range(20):
        assert not too_deep(page)
    per_page = (time.process_time() - started) / 20
    assert per_page < 0.02  # a regex over every string took ~70 ms for this page on this machine
