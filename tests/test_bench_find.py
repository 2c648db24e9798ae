"""The find figures' reference queries: the app's own first-result SQL finds the row it lands on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.core import Row, line
from bench.find import pick
from bench.find_mirror import build
from crmtui.model.filter import parse
from crmtui.services.mirror import Mirror
from crmtui.services.mirror_sql import Layout


def test_each_reference_query_finds_the_row_the_app_lands_on(tmp_path: Path) -> None:
    built = build(tmp_path, 2_000)
    chosen = pick(built["path"], built["layout"], 3)
    layout = Layout.from_json("lead", built["layout"])
    mirror = Mirror(Path(built["path"]))
    db = sqlite3.connect(built["path"])
    try:
        for key in ("email", "contains", "common"):
            for query in chosen["queries"][key]:
                found = db.execute(query["sql"], query["params"]).fetchone()
                assert found is not None, query
                expr = parse(query["text"], list(layout.fields))
                assert mirror.first_position("lead", expr) == found[0] - 1, query
    finally:
        db.close()
        mirror.close()


def test_a_row_prints_on_one_line_with_its_verdict() -> None:
    row = Row("find_email", "find by email", "80.0 ms", "10.0 ms bare", 8.0, "<= 1.5x", False)
    assert line(row) == "find by email: 80.0 ms vs 10.0 ms bare = 8.00 (target <= 1.5x: FAIL)"
