"""A full copy into an empty mirror builds its text index batch by batch while pages arrive (no
rebuild at the end); any other copy rebuilds it once. Either way searches find what is stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crmtui.model import Record
from crmtui.model.filter import parse, word_fields
from crmtui.services.mirror import Mirror
from crmtui.services.mirror_sql import layout_for
from tests.find.test_mirror import FIELDS, LEAD, lead


def traced(tmp_path: Path) -> tuple[Mirror, list[str]]:
    mirror = Mirror(tmp_path / "m.sqlite3")
    mirror.prepare(layout_for("lead", FIELDS, word_fields(FIELDS, LEAD)))
    statements: list[str] = []
    mirror.db.set_trace_callback(statements.append)
    return mirror, statements


def copy(mirror: Mirror, *batches: list[Record]) -> None:
    """What a full sync does: a new generation, the pages in batches, the sweep, the end."""
    generation = mirror.generation("lead", bump=True)
    mirror.begin_bulk("lead")
    for batch in batches:
        mirror.upsert("lead", batch, generation)
    mirror.sweep("lead", generation)
    mirror.end_bulk("lead")


def found(mirror: Mirror, text: str) -> list[str]:
    expr = parse(text, FIELDS, LEAD)
    return sorted(r.id for r in mirror.page("lead", 0, 1000, expr=expr))


def index_matches_the_table(mirror: Mirror) -> None:
    layout = mirror.layout("lead")
    assert layout is not None
    f = layout.fts_table
    mirror.db.execute(f"INSERT INTO {f}({f}, rank) VALUES ('integrity-check', 1)")


def renamed(record: Record, last: str) -> Record:
    return Record(record.entity, record.id, {**record.values, "last": last})


def test_a_first_copy_is_indexed_as_it_arrives_and_not_rebuilt(tmp_path: Path) -> None:
    mirror, statements = traced(tmp_path)
    copy(mirror, [lead(i) for i in range(0, 200)], [lead(i) for i in range(200, 450)])
    assert not [s for s in statements if "'rebuild'" in s]
    index_matches_the_table(mirror)
    assert found(mirror, "last~smith") == sorted(str(i) for i in range(450) if i % 5 in (0, 2))
    # and the index follows each write again afterwards
    mirror.upsert("lead", [renamed(lead(3), "Quixote")])
    assert found(mirror, "last~quixo") == ["3"]
    index_matches_the_table(mirror)


@pytest.mark.parametrize("how", ["a page repeats a record", "a record deleted", "a second copy"])
def test_a_copy_that_does_more_than_add_rows_rebuilds_the_index(tmp_path: Path, how: str) -> None:
    mirror, statements = traced(tmp_path)
    first = [lead(i) for i in range(100)]
    if how == "a second copy":
        copy(mirror, first)
        statements.clear()
        copy(mirror, [renamed(lead(7), "Quixote"), *first[8:]])  # 0..6 gone, 7 renamed
    elif how == "a page repeats a record":  # offsets moved while paging: 7 comes again
        copy(mirror, first, [renamed(lead(7), "Quixote"), lead(100)])
    else:
        generation = mirror.generation("lead", bump=True)
        mirror.begin_bulk("lead")
        mirror.upsert("lead", first, generation)
        mirror.delete("lead", "99")  # crmtui deleted it meanwhile
        mirror.end_bulk("lead")
    assert [s for s in statements if "'rebuild'" in s]
    index_matches_the_table(mirror)
    if how != "a record deleted":
        assert found(mirror, "last~quixo") == ["7"]
        assert "7" not in found(mirror, f"last~{lead(7).values['last'][:4]}")
    else:
        assert "99" not in found(mirror, "ann99")


def test_the_integrity_check_sees_a_stale_index(tmp_path: Path) -> None:
    """The check the tests rely on does fail on an index that missed a change."""
    mirror, _ = traced(tmp_path)
    copy(mirror, [lead(i) for i in range(50)])
    layout = mirror.layout("lead")
    assert layout is not None
    for statement in layout.drop_triggers():
        mirror.db.execute(statement)
    mirror.db.execute(f"UPDATE {layout.table} SET {layout.column('last')} = 'Quixote'")
    with pytest.raises(sqlite3.DatabaseError):
        index_matches_the_table(mirror)
