"""The table format of `crmtui list`: built batch by batch, it shows what one pass would show."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator
from decimal import Decimal

from crmtui.model import Choice, FieldSpec, FieldType, Record
from crmtui.services.export import Table, render_table, write_records

STATUS = FieldSpec("Status", "Status", FieldType.CHOICE, choices=(Choice("o", "Open"),))


def lead(rid: str, **values: object) -> Record:
    return Record("lead", rid, dict(values))


def test_columns_fit_the_width_and_cells_are_aligned() -> None:
    rows = [lead("1", Name="Ada", Status="o", Note="x" * 50), lead("22", Name="Grace Hopper")]
    text = render_table(rows, None, {"Status": STATUS}, width=26)
    assert text.splitlines() == [
        "id  Name          Status",
        "1   Ada           Open",
        "22  Grace Hopper",
    ]


def test_a_late_wide_value_drops_the_columns_that_no_longer_fit() -> None:
    first = [lead(str(i), A="a", B="b", C="c") for i in range(3)]
    late = [lead("9", A="a" * 30, B="b", C="c")]
    table = Table(None, None, width=37)
    table.add(first)
    assert table.render().splitlines()[0].split() == ["id", "A", "B", "C"]
    table.add(late)
    text = table.render()
    assert text == render_table([*first, *late], None, None, width=37)
    assert text.splitlines()[0].split() == ["id", "A"]
    assert text.splitlines()[-1].startswith("9   " + "a" * 30)


def test_vendor_text_is_inert_in_cells_ids_and_headers() -> None:
    rows = [lead("7\x1b[2J", **{"Na\x07me": "red\x1b[31m", "Bio": "a\tb\nc\u202e"})]
    text = render_table(rows, None, None, width=200)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\t" not in text and text.count("\n") == 2
    assert "red␛[31m" in text and "a b↵c<U+202E>" in text and "Na␇me" in text


def test_typed_values_are_shown_as_text_and_long_ones_cut() -> None:
    rows = [
        lead(
            "1",
            When=dt.datetime(2024, 1, 2, 3, 4, 5),
            Amount=Decimal("1.50"),
            Flag=True,
            Long="y" * 45,
        )
    ]
    line = render_table(rows, None, None, width=200).splitlines()[1]
    assert line == "1   2024-01-02 03:04:05  1.50    yes   " + "y" * 39 + "…"


async def test_write_records_streams_many_batches_into_one_table() -> None:
    many = [lead(str(i), Name=f"n{i}", Status="o" if i % 2 else None) for i in range(1234)]

    async def records() -> AsyncIterator[Record]:
        for record in many:
            yield record

    out = io.StringIO()
    count = await write_records(records(), "table", out, None, [STATUS])
    assert count == 1234
    assert out.getvalue() == render_table(many, None, {"Status": STATUS})
    assert out.getvalue().splitlines()[-1].split() == ["1233", "n1233", "Open"]


async def test_no_records_says_so() -> None:
    async def nothing() -> AsyncIterator[Record]:
        return
        yield

    out = io.StringIO()
    assert await write_records(nothing(), "table", out) == 0
    assert out.getvalue() == "(no records)\n"
