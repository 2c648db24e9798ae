"""The generic SQLite store: CRUD, ordering, sorting, namespaces, persistence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crmtui.sandbox.store import Store


def test_crud_roundtrip_and_merge() -> None:
    s = Store()
    rid = s.insert("v", "lead", {"A": "1", "B": "x"})
    assert s.get("v", "lead", rid) == {"A": "1", "B": "x"}
    assert s.update("v", "lead", rid, {"B": None, "C": 3})
    assert s.get("v", "lead", rid) == {"A": "1", "B": None, "C": 3}
    assert s.delete("v", "lead", rid)
    assert s.get("v", "lead", rid) is None
    assert not s.update("v", "lead", rid, {"A": "2"})
    assert not s.delete("v", "lead", rid)


def test_namespaces_and_entities_are_separate() -> None:
    s = Store()
    s.insert("one", "lead", {"A": 1}, record_id="X")
    s.insert("two", "lead", {"A": 2}, record_id="X")
    s.insert("one", "task", {"A": 3}, record_id="X")
    assert s.get("two", "lead", "X") == {"A": 2}
    assert s.count("one", "lead") == 1
    assert s.get("two", "task", "X") is None


def test_list_keeps_insertion_order_and_pages() -> None:
    s = Store()
    s.insert_many("v", "e", [(f"id{i}", {"N": i}) for i in range(10)])
    assert [rid for rid, _ in s.list("v", "e", offset=3, limit=3)] == ["id3", "id4", "id5"]
    assert [rid for rid, _ in s.list("v", "e", offset=0, limit=2, descending=True)] == [
        "id9",
        "id8",
    ]
    assert s.list("v", "e", offset=10, limit=5) == []


def test_sort_numbers_numerically_text_without_case_and_empty_first() -> None:
    s = Store()
    rows: list[tuple[str, dict[str, Any]]] = [
        ("a", {"N": 100, "T": "banana"}),
        ("b", {"N": 20, "T": "Apple"}),
        ("c", {"T": "cherry"}),
    ]
    s.insert_many("v", "e", rows)
    by_n = [rid for rid, _ in s.list("v", "e", offset=0, limit=9, sort_by="N")]
    assert by_n == ["c", "b", "a"]
    by_t = [rid for rid, _ in s.list("v", "e", offset=0, limit=9, sort_by="T", descending=True)]
    assert by_t == ["c", "a", "b"]


def test_where_filters_on_field_values() -> None:
    s = Store()
    s.insert_many("v", "e", [("a", {"P": "x"}), ("b", {"P": "y"}), ("c", {"P": "x"})])
    assert s.count("v", "e", where={"P": "x"}) == 2
    assert [r for r, _ in s.list("v", "e", offset=0, limit=9, where={"P": "y"})] == ["b"]


def test_sort_field_names_cannot_inject_sql() -> None:
    s = Store()
    with pytest.raises(ValueError):
        s.list("v", "e", offset=0, limit=1, sort_by="x') ; DROP TABLE records; --")


def test_file_store_persists_and_remembers_seeding(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite"
    s = Store(path)
    s.insert("v", "e", {"A": "1"}, record_id="R")
    s.mark_seeded("v", {"records": 1})
    s.close()
    again = Store(path)
    assert again.is_seeded("v") and not again.is_seeded("other")
    assert again.get("v", "e", "R") == {"A": "1"}
    again.clear("v")
    assert not again.is_seeded("v") and again.count("v", "e") == 0


def test_counts_follow_writes_from_this_and_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    mine, other = Store(path), Store(path)
    assert mine.count("ns", "lead") == 0
    mine.insert("ns", "lead", {"a": 1})
    assert mine.count("ns", "lead") == 1  # its own write
    other.insert("ns", "lead", {"a": 2})
    assert mine.count("ns", "lead") == 2  # another connection's write
    other.delete("ns", "lead", other.list("ns", "lead", offset=0, limit=1)[0][0])
    assert mine.count("ns", "lead") == 1
    mine.close()
    other.close()
