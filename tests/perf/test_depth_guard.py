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


def test_checking_a_page_costs_less_than_parsing_it() -> None:
    lead = {"Name": 'Ada "A" [x] {y} \\ z' * 4, "Tags": [1, {"a": [2]}], "Email": "a@x.test"}
    page = json.dumps({"Entity": [dict(lead, id=i) for i in range(1000)]}).encode()
    guard = parse = 0.0
    for _ in range(10):  # interleaved, CPU time: the ratio holds on a busy machine
        started = time.process_time()
        assert not too_deep(page)
        guard += time.process_time() - started
        started = time.process_time()
        json.loads(page)
        parse += time.process_time() - started
    assert guard < 0.8 * parse  # a regex over every string took ~3x the parse
