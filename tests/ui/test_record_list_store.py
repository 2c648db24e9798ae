"""The compact page store behind the record list: rows come back as they went in."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest

from crmtui.model import Record
from crmtui.ui.page_store import PageStore
from tests.fakes import lead


def page(start: int, size: int = 100) -> list[Record]:
    """Leads start+1 .. start+size, with raw values beside the typed ones."""
    rows = [lead(i) for i in range(start + 1, start + size + 1)]
    for r in rows:
        r.values["amount"] = Decimal("12.50")
        r.raw = {"Email": r.values["email"], "Created": "2024-01-01T00:00:00Z"}
    return rows


def test_rows_of_evicted_pages_decode_to_the_same_values() -> None:
    store = PageStore(hot=2)
    originals = {p: page(p * 100) for p in range(10)}
    for p, rows in originals.items():
        store.put(p * 100, rows)
    assert len(store) == 1_000 and store.extent == 1_000
    for index in (0, 99, 150, 555, 999):
        got = store[index]
        want = originals[index // 100][index % 100]
        assert got is not want  # page 0 was evicted long ago: this came from its compact form
        assert (got.id, got.values, got.raw) == (want.id, want.values, want.raw)
    assert isinstance(store[0].values["created"], dt.date)
    assert store.get(1_000) is None and 1_000 not in store and 999 in store


def test_compact_pages_are_much_smaller_than_the_records() -> None:
    store = PageStore(hot=1)
    decoded = 0
    for p in range(20):
        rows = page(p * 100)
        decoded += len(pickle.dumps(rows))
        store.put(p * 100, rows)
    assert store.compact_bytes < decoded / 3


def test_a_row_under_the_cursor_stays_the_same_object_while_its_page_is_hot() -> None:
    store = PageStore(hot=2)
    store.put(0, page(0))
    store.put(100, page(100))
    first = store[5]
    store.get(150)
    assert store[5] is first  # the detail pane compares by identity


def test_find_replace_and_remove_on_compacted_pages() -> None:
    store = PageStore(hot=1)
    for p in range(5):
        store.put(p * 100, page(p * 100))
    assert store.find("42") == 41 and store.find("499") == 498 and store.find("nope") is None
    revision = store.revision
    changed = Record("lead", "42", {"last_name": "Changed"})
    store.replace(41, changed)
    store.get(450)  # evict it
    assert store[41].values == {"last_name": "Changed"} and store.revision > revision
    store.remove(41)
    assert len(store) == 499 and store.extent == 499
    assert store[41].id == "43" and store[498].id == "500" and store.find("42") is None
    with pytest.raises(KeyError):
        store.remove(499)


def test_a_page_over_loaded_rows_replaces_only_those_rows() -> None:
    store = PageStore()
    store.put(0, page(0))
    store.put(50, [Record("lead", f"x{i}") for i in range(100)])
    assert len(store) == 150
    assert store[49].id == "50" and store[50].id == "x0" and store[149].id == "x99"
    assert [i for i in store][:2] == [0, 1] and sorted(store) == list(range(150))


def test_pages_walk_every_loaded_run_in_order() -> None:
    store = PageStore(hot=1)
    store.put(200, page(200))
    store.put(0, page(0))
    starts = [(start, rows[0].id) for start, rows in store.pages()]
    assert starts == [(0, "1"), (200, "201")]
    store.clear()
    assert len(store) == 0 and store.extent == 0 and list(store.pages()) == []
