"""Vendor text to typed values: one set of per-type parsers, each vendor picking its forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crmtui.backends.cmdatamanager import fields as cmd
from crmtui.backends.leadsquared import fields as lsq
from crmtui.backends.sharpspring import fields as ss
from crmtui.model import FieldSpec, FieldType


def spec(kind: FieldType) -> FieldSpec:
    return FieldSpec("x", "X", kind)


def test_each_vendor_reads_its_own_flags_numbers_and_dates() -> None:
    utc = dt.UTC
    assert ss.parse_value("1", spec(FieldType.BOOLEAN), utc) is True
    assert ss.parse_value("true", spec(FieldType.BOOLEAN), utc) is False  # SharpSpring says 0/1
    assert cmd.parse_value("True", spec(FieldType.BOOLEAN)) is True
    assert lsq.parse_value("1", spec(FieldType.BOOLEAN)) is True
    assert lsq.parse_value("12.0000", spec(FieldType.DECIMAL)) == 12
    assert lsq.parse_value("12.50", spec(FieldType.DECIMAL)) == Decimal("12.50")
    assert cmd.parse_value("12.50", spec(FieldType.DECIMAL)) == Decimal("12.50")
    assert lsq.parse_value("/Date(1417453996000+0000)/", spec(FieldType.DATETIME)) == (
        dt.datetime(2014, 12, 1, 17, 13, 16)
    )
    moment = ss.parse_value("2024-05-01 10:00:00", spec(FieldType.DATETIME), utc)
    assert moment == dt.datetime(2024, 5, 1, 10, tzinfo=utc) and moment.tzinfo is not None
    assert cmd.parse_value("2024-05-01T10:00:00", spec(FieldType.DATE)) == dt.date(2024, 5, 1)


def test_blank_is_none_and_anything_unparsable_stays_as_sent() -> None:
    for kind in (FieldType.INTEGER, FieldType.DATE, FieldType.STRING):
        assert cmd.parse_value("  ", spec(kind)) is None
        assert lsq.parse_value("", spec(kind)) is None
    assert cmd.parse_value("soon", spec(FieldType.DATE)) == "soon"
    assert lsq.parse_value("soon", spec(FieldType.DATETIME)) == "soon"
    assert ss.parse_value("n/a", spec(FieldType.INTEGER), dt.UTC) == "n/a"
    assert cmd.parse_value(7, spec(FieldType.INTEGER)) == 7
    parse = ss.parsers([FieldSpec("n", "N", FieldType.INTEGER)], dt.UTC)["n"]
    assert parse(" 42 ") == 42 and parse("") is None and parse(None) is None
    page = cmd.parsers([FieldSpec("n", "N", FieldType.INTEGER), FieldSpec("t", "T")])
    assert page.values({"n": "3", "t": " ", "other": "as sent"}) == {
        "n": 3,
        "t": None,
        "other": "as sent",
    }
