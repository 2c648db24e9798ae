"""The mirror's store: filters in SQL (trigram index and columns), positions, writes, mode."""

from __future__ import annotations

from pathlib import Path

from crmtui.model import EntitySpec, FieldSpec, FieldType, Record, Sort
from crmtui.model.filter import matches, parse, word_fields
from crmtui.services.mirror import Mirror
from crmtui.services.mirror_query import keys_sql
from crmtui.services.mirror_sql import layout_for

FIELDS = [
    FieldSpec("first", "First name"),
    FieldSpec("last", "Last name"),
    FieldSpec("email", "Email", FieldType.EMAIL),
    FieldSpec("company", "Company"),
    FieldSpec("score", "Score", FieldType.INTEGER),
    FieldSpec("city", "City"),
]
LEAD = EntitySpec("lead", "Leads", title_fields=("first", "last"))
SPECS = {f.name: f for f in FIELDS}
LASTS = ("Smith", "Kelly", "Smithers", "Ng", "Lee")


def lead(i: int) -> Record:
    values = {
        "first": f"Ann{i}",
        "last": LASTS[i % len(LASTS)],
        "email": f"ann{i}@Example.com",
        "company": "Acme Ltd" if i % 7 == 0 else "Other LLP",
        "score": i % 100,
        "city": "Leeds" if i % 3 == 0 else "York",
    }
    return Record("lead", str(i), values)


def mirror_with(tmp_path: Path, count: int = 300) -> Mirror:
    mirror = Mirror(tmp_path / "m.sqlite3")
    mirror.prepare(layout_for("lead", FIELDS, word_fields(FIELDS, LEAD)))
    mirror.upsert("lead", [lead(i) for i in range(count)])
    mirror.mark_synced("lead", complete=True, cursor="2026-01-01T00:00:00+00:00")
    return mirror


def test_every_filter_matches_what_the_local_check_matches(tmp_path: Path) -> None:
    mirror = mirror_with(tmp_path)
    everything = [lead(i) for i in range(300)]
    for text in (
        "ANN17@example.COM",
        "last~smith",
        "last~ng",  # shorter than a trigram: the column, not the index
        "score>90 city=leeds",
        "score<5",
        "acme",
        "ann1 acme",
        "last=kelly city~yor",
    ):
        expr = parse(text, FIELDS, LEAD)
        want = [r.id for r in everything if matches(expr, r, SPECS)]
        got = [r.id for r in mirror.page("lead", 0, 1000, expr=expr)]
        assert got == want and want, text
        assert mirror.count("lead", expr) == len(want)


def test_positions_in_the_whole_list_with_and_without_a_sort(tmp_path: Path) -> None:
    mirror = mirror_with(tmp_path)
    expr = parse("score=42", FIELDS, LEAD)
    assert mirror.positions("lead", expr) == [42, 142, 242]
    mirror.delete("lead", "0")  # rows after it move up
    assert mirror.positions("lead", expr) == [41, 141, 241]
    by_score = mirror.page("lead", 0, 1000, sort=Sort("score", descending=True))
    where = [i for i, r in enumerate(by_score) if r.values["score"] == 42]
    assert mirror.positions("lead", expr, Sort("score", descending=True)) == where


def test_writes_keep_places_and_a_full_sync_sweeps(tmp_path: Path) -> None:
    mirror = mirror_with(tmp_path, 10)
    changed = lead(3)
    changed.values["last"] = "Quenneville"
    mirror.upsert("lead", [changed])
    assert [r.id for r in mirror.page("lead", 0, 20)] == [str(i) for i in range(10)]
    stored = mirror.get("lead", "3")
    assert stored is not None and stored.values["last"] == "Quenneville"
    assert [r.id for r in mirror.page("lead", 0, 5, expr=parse("last~quenne", FIELDS))] == ["3"]
    generation = mirror.generation("lead", bump=True)
    mirror.upsert("lead", [lead(i) for i in range(5)], generation)
    assert mirror.sweep("lead", generation) == 5
    assert mirror.count("lead") == 5
    assert (tmp_path / "m.sqlite3").stat().st_mode & 0o777 == 0o600
    state = mirror.state("lead")
    assert state is not None and state.complete and state.age().startswith("synced")


def test_first_position_and_positions_agree_with_the_local_check(tmp_path: Path) -> None:
    mirror = mirror_with(tmp_path)
    mirror.delete("lead", "5")  # keys with a gap: positions are ranks, not keys
    everything = [lead(i) for i in range(300) if i != 5]
    for text in ("last~smith", "last~smith acme", "ann1 acme", "last~ng", "score=42", "nobody"):
        expr = parse(text, FIELDS, LEAD)
        want = [i for i, r in enumerate(everything) if matches(expr, r, SPECS)]
        assert mirror.positions("lead", expr) == want, text
        assert mirror.first_position("lead", expr) == (want[0] if want else None), text
        assert mirror.count("lead", expr) == len(want), text
    by_score = Sort("score", descending=True)
    expr = parse("last~kelly", FIELDS, LEAD)
    ordered = mirror.page("lead", 0, 1000, sort=by_score)
    first = next(i for i, r in enumerate(ordered) if r.values["last"] == "Kelly")
    assert mirror.first_position("lead", expr, by_score) == first


def test_a_filter_of_indexed_text_alone_is_answered_by_the_index(tmp_path: Path) -> None:
    layout = layout_for("lead", FIELDS, word_fields(FIELDS, LEAD))
    for text in ("last~smith", "last~smith acme", "ann1 acme"):
        sql, _ = keys_sql(parse(text, FIELDS, LEAD), layout)
        assert sql.startswith(f"SELECT rowid FROM {layout.fts_table} "), text
    for text in ("last~ng", "score=42", "last~smith city=leeds", "ann17@example.com"):
        sql, _ = keys_sql(parse(text, FIELDS, LEAD), layout)
        assert sql.startswith(f"SELECT k FROM {layout.table} "), text


def test_a_read_within_a_deadline_answers_or_gives_up(tmp_path: Path) -> None:
    mirror = mirror_with(tmp_path)
    expr = parse("ann17@example.com", FIELDS, LEAD)
    assert mirror.within(1.0, lambda: mirror.first_position("lead", expr)) == (True, 17)

    def endless() -> int:
        sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
        return int(mirror.db.execute(sql).fetchone()[0])

    assert mirror.within(0.01, endless) == (False, None)
    assert mirror.within(1.0, lambda: mirror.count("lead")) == (True, 300)  # usable after
