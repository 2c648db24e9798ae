"""Values are validated from field descriptions before any request, naming the field at fault."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmtui.errors import ValidationFailed
from crmtui.model import Change, Choice, FieldSpec, FieldType, Validator, diff

FIELDS = [
    FieldSpec("Email", "Email", FieldType.EMAIL, required=True, max_length=255),
    FieldSpec("FirstName", "First name", max_length=255),
    FieldSpec("Phone", "Phone", FieldType.PHONE),
    FieldSpec("Website", "Website", FieldType.URL),
    FieldSpec("Score", "Score", FieldType.INTEGER),
    FieldSpec("Revenue", "Revenue", FieldType.DECIMAL),
    FieldSpec("DoNotEmail", "Do not email", FieldType.BOOLEAN),
    FieldSpec("Birthday", "Birthday", FieldType.DATE),
    FieldSpec("LastSeen", "Last seen", FieldType.DATETIME),
    FieldSpec(
        "Status",
        "Status",
        FieldType.CHOICE,
        choices=(Choice("open", "Open"), Choice("qualified", "Qualified")),
    ),
    FieldSpec("Created", "Created", FieldType.DATETIME, read_only=True),
]
V = Validator(FIELDS)


def errors(values: dict[str, object], creating: bool = False) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as info:
        V.validate(values, creating=creating)
    return info.value.field_errors


def test_values_are_parsed_to_their_types() -> None:
    typed = V.validate(
        {
            "Email": " ada@example.org ",
            "Score": "1,200",
            "Revenue": "12.50",
            "DoNotEmail": "yes",
            "Birthday": "1815-12-10",
            "LastSeen": "2024-01-02 03:04:05",
            "Status": "Qualified",
            "Phone": "+44 20 7946 0958",
            "Website": "www.example.org",
        }
    )
    assert typed == {
        "Email": "ada@example.org",
        "Score": 1200,
        "Revenue": Decimal("12.50"),
        "DoNotEmail": True,
        "Birthday": dt.date(1815, 12, 10),
        "LastSeen": dt.datetime(2024, 1, 2, 3, 4, 5),
        "Status": "qualified",
        "Phone": "+44 20 7946 0958",
        "Website": "www.example.org",
    }


def test_bad_email_and_overlong_text_are_refused_with_the_field_named() -> None:
    found = errors({"Email": "ada-at-example", "FirstName": "x" * 300})
    assert "not an email" in found["Email"]
    assert "at most 255" in found["FirstName"]


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("Score", "twelve", "whole number"),
        ("Revenue", "12,5x", "number"),
        ("DoNotEmail", "maybe", "yes/no"),
        ("Birthday", "10/12/1815", "YYYY-MM-DD"),
        ("LastSeen", "yesterday", "date and time"),
        ("Status", "closed", "open, qualified"),
        ("Phone", "call me", "phone"),
        ("Website", "not a url", "web address"),
    ],
)
def test_each_type_explains_what_it_expects(name: str, value: str, words: str) -> None:
    assert words in errors({name: value})[name]


def test_required_on_create_and_not_emptied_on_update() -> None:
    assert errors({"FirstName": "Ada"}, creating=True) == {"Email": "is required"}
    assert errors({"Email": ""}) == {"Email": "is required"}
    assert V.validate({"FirstName": "Ada"}) == {"FirstName": "Ada"}


def test_read_only_and_unknown_fields_are_refused_with_a_suggestion() -> None:
    found = errors({"Created": "2024-01-01", "Emial": "a@b.co"})
    assert found["Created"] == "is read-only"
    assert "did you mean Email" in found["Emial"]


def test_diff_keeps_only_changed_fields() -> None:
    old = {"FirstName": "Ada", "City": None, "Score": 3}
    new = {"FirstName": "Ada", "City": "", "Score": 4}
    assert diff(old, new) == [Change("Score", 3, 4)]
