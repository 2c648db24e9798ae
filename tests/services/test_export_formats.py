"""JSON and JSON lines output keep typed values as `record_json` gives them."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from crmtui.model import Record
from crmtui.services.export import record_json, write_records

RECORDS = [
    Record(
        "lead",
        "1",
        {
            "When": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
            "Day": dt.date(2024, 1, 2),
            "Amount": Decimal("1.50"),
            "Flag": True,
            "Score": 7,
            "Name": "Zoë \x1b",
            "Gone": None,
        },
    ),
    Record("lead", "2", {"id": "own id", "Amount": Decimal("-0.10")}),
]


async def stream() -> AsyncIterator[Record]:
    for record in RECORDS:
        yield record


@pytest.mark.parametrize("columns", [None, ["Amount", "Missing", "When"]])
async def test_jsonl_is_record_json_line_by_line(columns: list[str] | None) -> None:
    out = io.StringIO()
    assert await write_records(stream(), "jsonl", out, columns) == 2
    lines = out.getvalue().splitlines()
    assert lines == [json.dumps(record_json(r, columns), ensure_ascii=False) for r in RECORDS]
    first = json.loads(lines[0])
    if columns is None:
        assert first["When"] == "2024-01-02T03:04:05+00:00" and first["Day"] == "2024-01-02"
        assert first["Flag"] is True and first["Score"] == 7 and first["Gone"] is None
    assert first["Amount"] == "1.50"


async def test_json_is_one_array_of_record_json() -> None:
    out = io.StringIO()
    assert await write_records(stream(), "json", out) == 2
    assert json.loads(out.getvalue()) == [record_json(r) for r in RECORDS]
    assert out.getvalue().startswith("[\n{") and out.getvalue().endswith("}\n]\n")


async def test_a_value_json_has_no_form_for_is_an_error() -> None:
    async def odd() -> AsyncIterator[Record]:
        yield Record("lead", "1", {"x": object()})

    with pytest.raises(TypeError):
        await write_records(odd(), "jsonl", io.StringIO())
