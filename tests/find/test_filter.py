"""The filter language: conditions, quotes, labels, free text, errors with hints."""

from __future__ import annotations

import pytest

from crmtui.errors import UsageError
from crmtui.model import EntitySpec, FieldSpec, FieldType, Filter, Record
from crmtui.model.filter import FilterSupport, matches, parse, server_part

FIELDS = [
    FieldSpec("id", "Id", FieldType.INTEGER),
    FieldSpec("firstName", "First name"),
    FieldSpec("lastName", "Last name"),
    FieldSpec("emailAddress", "Email", FieldType.EMAIL),
    FieldSpec("companyName", "Company"),
    FieldSpec("leadScore", "Lead score", FieldType.INTEGER),
    FieldSpec("city", "City"),
]
LEAD = EntitySpec("lead", "Leads", title_fields=("firstName", "lastName"))
SPECS = {f.name: f for f in FIELDS}


def lead(**values: object) -> Record:
    return Record("lead", str(values.get("id", "1")), dict(values))


def test_conditions_labels_and_quotes() -> None:
    expr = parse('"last name"~smi City="New York" leadscore>10 EMAIL=a@b.co', FIELDS, LEAD)
    assert expr.conditions == (
        Filter("lastName", "smi", "contains"),
        Filter("city", "New York", "eq"),
        Filter("leadScore", "10", "gt"),
        Filter("emailAddress", "a@b.co", "eq"),
    )
    hit = lead(lastName="Smith", city="new york", leadScore=11, emailAddress="A@b.co")
    assert matches(expr, hit, SPECS)
    assert not matches(expr, lead(lastName="Smith", city="new york", leadScore=9), SPECS)


def test_bare_email_id_and_words() -> None:
    assert parse("zz@proton.me", FIELDS, LEAD).conditions == (
        Filter("emailAddress", "zz@proton.me", "eq"),
    )
    assert parse("1234", FIELDS, LEAD).record_id == "1234"
    expr = parse("kelly acme", FIELDS, LEAD)
    assert expr.words == ("kelly", "acme")
    assert expr.word_fields == ("firstName", "lastName", "companyName")
    assert matches(expr, lead(firstName="Kelly", companyName="ACME Ltd"), SPECS)
    assert not matches(expr, lead(firstName="Kelly", city="acme"), SPECS)


def test_unknown_field_suggests_the_nearest() -> None:
    with pytest.raises(UsageError, match=r"unknown field 'emial'; did you mean Email\?"):
        parse("emial=x@y.z", FIELDS, LEAD)
    with pytest.raises(UsageError, match="Lead score"):
        parse("leadScore>abc", FIELDS, LEAD)
    with pytest.raises(UsageError, match="quote"):
        parse('city="New', FIELDS, LEAD)


def test_server_part_sends_exact_first() -> None:
    support = FilterSupport({"emailAddress": frozenset({"eq"}), "city": frozenset({"eq"})}, 1)
    expr = parse("city~york email=a@b.co", FIELDS, LEAD)
    sent, free, rest = server_part(expr, support)
    assert sent == (Filter("emailAddress", "a@b.co", "eq"),)
    assert rest == (Filter("city", "york", "contains"),)
    assert not free
