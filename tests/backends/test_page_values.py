"""A page typed a column at a time gives exactly what typing each value alone gives."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from crmtui.backends.cmdatamanager import fields as cmd
from crmtui.backends.sharpspring import fields as ss
from crmtui.backends.sharpspring import wire
from crmtui.backends.wire_text import unescape_html
from crmtui.model import FieldSpec, FieldType

SPECS = [
    FieldSpec("Name", "Name", FieldType.STRING),
    FieldSpec("Notes", "Notes", FieldType.TEXT),
    FieldSpec("Score", "Score", FieldType.INTEGER),
    FieldSpec("Revenue", "Revenue", FieldType.DECIMAL),
    FieldSpec("Flag", "Flag", FieldType.BOOLEAN),
    FieldSpec("Born", "Born", FieldType.DATE),
    FieldSpec("Seen", "Seen", FieldType.DATETIME),
    FieldSpec("Status", "Status", FieldType.CHOICE),
]
ODD = [None, "", " ", "\t", "&amp;", "&#32;", "A &lt;b&gt;", " 7 ", "x", 0, 1, 2.5, False, [1]]
USUAL: dict[str, list[Any]] = {
    "Name": ["Ada", "Ben Okafor", "Marks &amp; Spencer", None],
    "Notes": ["needs a call", None, "Budget &lt; 10k"],
    "Score": ["20", "0", "-3", None],
    "Revenue": ["52538.88", "1", None],
    "Flag": ["True", "False", "1", "0"],
    "Born": ["2024-05-01", None],
    "Seen": ["2024-04-19 04:56:15", None],
    "Status": ["New", "Open"],
    "Extra": ["as sent", None, ""],
}


def page(rng: random.Random, odd: float) -> list[dict[str, Any]]:
    """500 objects with the usual values, and some odd ones at the rate `odd`."""
    out = []
    for i in range(500):
        item: dict[str, Any] = {"id": str(i)}
        for name, usual in USUAL.items():
            item[name] = rng.choice(ODD) if rng.random() < odd else rng.choice(usual)
        out.append(item)
    return out


def cmd_one_by_one(raw: dict[str, Any]) -> dict[str, Any]:
    """CMDataManager's typing as defined value by value: decode, then `parse_value`."""
    by_name = {s.name: s for s in SPECS}
    out = {}
    for name, value in raw.items():
        if isinstance(value, str) and "&" in value:
            value = unescape_html(value)
        out[name] = cmd.parse_value(value, by_name[name]) if name in by_name else value
    return out


def ss_one_by_one(raw: dict[str, Any]) -> dict[str, Any]:
    """SharpSpring's typing as defined value by value: `wire.decoded`, then `parsers`."""
    values = wire.decoded(raw)
    for name, parse in ss.parsers(SPECS, dt.UTC).items():
        if name in values:
            values[name] = parse(values[name])
    return values


def test_a_page_types_as_each_value_alone_whatever_it_holds() -> None:
    rng = random.Random(7)
    cmd_typer, ss_typer = cmd.parsers(SPECS), ss.typer(SPECS, dt.UTC)
    for odd in (0.0, 0.001, 0.05, 0.5):
        for _ in range(5):
            raws = page(rng, odd)
            assert cmd_typer.page(raws) == [cmd_one_by_one(r) for r in raws]
            assert ss_typer.page(raws) == [ss_one_by_one(r) for r in raws]


def test_objects_with_other_keys_or_order_type_alike() -> None:
    rng = random.Random(3)
    raws = page(rng, 0.0)
    raws[10] = {"Score": "5", "Name": "Zed", "Only": " "}
    raws[20] = dict(reversed(list(raws[20].items())))
    del raws[30]["Score"]
    raws[40]["New"] = "1"
    typer = cmd.parsers(SPECS)
    assert typer.page(raws) == [cmd_one_by_one(r) for r in raws]
    assert typer.page(raws)[10] == {"Score": 5, "Name": "Zed", "Only": " "}


def test_the_page_leaves_what_the_vendor_sent_untouched() -> None:
    raws = page(random.Random(1), 0.05)
    before = [dict(r) for r in raws]
    ss.typer(SPECS, dt.UTC).page(raws)
    cmd.parsers(SPECS).page(raws)
    assert raws == before


def test_typed_values_are_stripped_before_they_are_converted() -> None:
    raws = [{"id": str(i), "Flag": " 1 " if i % 2 else "0", "Score": " 4"} for i in range(50)]
    typed = ss.typer(SPECS, dt.UTC).page(raws)
    assert typed == [ss_one_by_one(r) for r in raws]
    assert typed[1] == {"Flag": True, "Score": 4}
