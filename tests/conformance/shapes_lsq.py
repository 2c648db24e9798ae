"""Shape comparison for the conformance suites of LeadSquared, InfluencerSoft and CMDataManager.

A public sample and our emulator's answer agree in shape when every key the sample shows is
there, each value has the sample's JSON type (a sample `null` says nothing about the type),
list items look like the sample's first item, and strings that are dates use the same format.
A field the sample shows as a string may come back null (an empty field).
Extra keys in our answer are allowed: samples are often trimmed.
"""

from __future__ import annotations

import re
from typing import Any

DATE_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dotnet", re.compile(r"^/Date\(-?\d+([+-]\d{4})?\)/$")),
    ("datetime.fff", re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$")),
    ("datetime", re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")),
    ("date", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
)


def date_format(text: str) -> str | None:
    """The name of the date format `text` is written in, or None."""
    for name, pattern in DATE_FORMATS:
        if pattern.match(text):
            return name
    return None


def kind(value: Any) -> str:
    """The JSON type of `value`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def mismatches(sample: Any, actual: Any, path: str = "$") -> list[str]:
    """Every way `actual` differs in shape from `sample` (empty when they agree)."""
    want, have = kind(sample), kind(actual)
    if want == "null" or (want == "string" and have == "null"):
        return []  # a null sample says nothing; an empty field may come back null
    if want != have:
        return [f"{path}: expected {want}, got {have} ({actual!r:.60})"]
    if want == "string":
        fmt = date_format(sample)
        if fmt is not None and date_format(actual) != fmt:
            return [f"{path}: expected a {fmt} date, got {actual!r}"]
        return []
    if want == "object":
        problems = []
        for key, value in sample.items():
            if key not in actual:
                problems.append(f"{path}: missing key {key!r}")
            else:
                problems += mismatches(value, actual[key], f"{path}.{key}")
        return problems
    if want == "array" and sample and actual:
        problems = []
        for index, item in enumerate(actual):
            problems += mismatches(sample[0], item, f"{path}[{index}]")
        return problems
    return []


def assert_shape(sample: Any, actual: Any) -> None:
    """Fail listing every shape difference between a public sample and our answer."""
    problems = mismatches(sample, actual)
    assert not problems, "\n".join(problems[:20])
