"""The mirror's insert rows, built a column at a time, hold what each value encodes to."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from crmtui.model import FieldSpec, FieldType, Record, jsonable
from crmtui.services.mirror_sql import Layout, encode, rows_of

SPECS = (
    FieldSpec("Name", "Name", FieldType.STRING),
    FieldSpec("Score", "Score", FieldType.INTEGER),
    FieldSpec("Revenue", "Revenue", FieldType.DECIMAL),
    FieldSpec("Flag", "Flag", FieldType.BOOLEAN),
    FieldSpec("Seen", "Seen", FieldType.DATETIME),
    FieldSpec("Born", "Born", FieldType.DATE),
)
CHOICES: dict[str, list[Any]] = {
    "Name": ["Ada", "", None, "Ünïcode"],
    "Score": [1, 0, None, 2.5],
    "Revenue": [Decimal("1.50"), None, "n/a"],
    "Flag": [True, False, None],
    "Seen": [dt.datetime(2024, 6, 11, 14, 17, 40, tzinfo=dt.UTC), None],
    "Born": [dt.date(2000, 1, 2), None, "soon"],
}


def one_by_one(record: Record, layout: Layout, generation: int) -> tuple[Any, ...]:
    """A row as defined value by value: `encode` each field, unknown fields as JSON."""
    names = [f.name for f in layout.fields]
    extra = {k: jsonable(v) for k, v in record.values.items() if k not in names}
    text = json.dumps(extra, ensure_ascii=False) if extra else None
    cells = [encode(record.values.get(f.name), f) for f in layout.fields]
    return (record.id, generation, text, *cells)


def test_rows_hold_what_each_value_encodes_to() -> None:
    rng = random.Random(4)
    layout = Layout("lead", SPECS, ())
    for plain in (True, False):
        records = []
        for i in range(300):
            values = {}
            for name, choices in CHOICES.items():
                if plain and name in ("Name", "Score"):
                    values[name] = choices[0]
                elif rng.random() > 0.1:  # now and then a field is missing
                    values[name] = rng.choice(choices)
            if rng.random() < 0.05:
                values["Other"] = dt.date(2001, 1, 1)
            records.append(Record("lead", str(i), values))
        assert rows_of(records, layout, 7) == [one_by_one(r, layout, 7) for r in records]


def test_flags_are_stored_as_the_integers_encode_makes(tmp_path: Path) -> None:
    """A page's flags go to the driver as they are: stored as 1 and 0, read back as flags."""
    from crmtui.services.mirror import Mirror

    layout = Layout("lead", SPECS, ())
    mirror = Mirror(tmp_path / "m.sqlite3")
    try:
        mirror.prepare(layout)
        flags = [True, False, None] * 4
        records = [Record("lead", str(i), {"Flag": f}) for i, f in enumerate(flags)]
        mirror.upsert("lead", records)
        col = layout.column("Flag")
        stored = mirror.db.execute(f"SELECT {col}, typeof({col}) FROM r_lead ORDER BY k").fetchall()
        assert stored == [(encode(f, SPECS[3]), "null" if f is None else "integer") for f in flags]
        assert [mirror.get("lead", str(i)).values["Flag"] for i in range(len(flags))] == flags  # type: ignore[union-attr]
    finally:
        mirror.close()
