"""Compare a vendor's public answer with ours by shape, not by value.

Shape is: the envelope's keys, each result's keys, each value's JSON type, where an error sits
(the HTTP status, the body of a 200, or inside one object of a write's result), paging keys and
the form of dates. Values differ between any two accounts; shapes must not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

DATE_FORMS = (
    ("YYYY-MM-DD HH:MM:SS", re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")),
    ("YYYY-MM-DD HH:MM:SS.fff", re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+$")),
    ("YYYY-MM-DDTHH:MM:SS", re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")),
    ("YYYY-MM-DD", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    ("/Date(ms)/", re.compile(r"^/Date\(-?\d+([+-]\d{4})?\)/$")),
)
ErrorSite = Literal["http", "body", "object", "none"]


def kind(value: Any) -> str:
    """The JSON type of `value`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "dict"
    return type(value).__name__


def date_form(value: Any) -> str | None:
    """The date form `value` is written in, or None when it is no date."""
    if not isinstance(value, str):
        return None
    for name, pattern in DATE_FORMS:
        if pattern.match(value):
            return name
    return None


def differences(
    public: Any,
    ours: Any,
    *,
    path: str = "$",
    extra_keys: bool = True,
    ignore: Iterable[str] = (),
    nullable: bool = True,
) -> list[str]:
    """Where `ours` differs in shape from `public` (empty when it conforms).

    `extra_keys`: ours may hold keys the public example lacks. `ignore`: key patterns (regular
    expressions) left out on both sides, such as an account's own custom field names.
    `nullable`: null and a value of any type count as the same shape (an empty field).
    """
    skip = [re.compile(p) for p in ignore]
    found: list[str] = []
    _compare(public, ours, path, extra_keys, skip, nullable, found)
    return found


def _compare(
    public: Any,
    ours: Any,
    path: str,
    extra: bool,
    skip: Sequence[re.Pattern[str]],
    nullable: bool,
    found: list[str],
) -> None:
    a, b = kind(public), kind(ours)
    if a != b:
        if not (nullable and "null" in (a, b)):
            found.append(f"{path}: public is {a} ({public!r:.40}), ours is {b} ({ours!r:.40})")
        return
    if a == "dict":
        keys = [k for k in public if not any(p.search(k) for p in skip)]
        mine = [k for k in ours if not any(p.search(k) for p in skip)]
        for key in keys:
            if key not in ours:
                found.append(f"{path}: ours lacks key {key!r}")
            else:
                _compare(public[key], ours[key], f"{path}.{key}", extra, skip, nullable, found)
        if not extra:
            found.extend(f"{path}: ours has extra key {k!r}" for k in mine if k not in public)
    elif a == "list":
        if public and not ours:
            found.append(f"{path}: public has items, ours is empty")
        if public and ours:
            model = merged(public)
            for index, item in enumerate(ours[:20]):
                _compare(model, item, f"{path}[{index}]", extra, skip, nullable, found)
    elif a == "str" and date_form(public) and date_form(public) != date_form(ours):
        found.append(f"{path}: public date form {date_form(public)}, ours {ours!r:.40}")


def merged(items: Sequence[Any]) -> Any:
    """One model of a list's items: for objects, every key seen, with its first non-null value."""
    if not all(isinstance(i, dict) for i in items):
        return items[0]
    model: dict[str, Any] = {}
    for item in items:
        for key, value in item.items():
            if model.get(key) is None:
                model[key] = value
    return model


def assert_conforms(public: Any, ours: Any, **options: Any) -> None:
    """Fail with every shape difference between `public` and `ours`."""
    problems = differences(public, ours, **options)
    assert not problems, "shape differs from the public example:\n" + "\n".join(problems)


def envelope(body: Any) -> tuple[str, ...]:
    """The top-level keys of a JSON answer, sorted (empty for a non-object)."""
    return tuple(sorted(body)) if isinstance(body, dict) else ()


def error_site(status: int, body: Any, writes_key: str | None = None) -> ErrorSite:
    """Where an answer says it failed: the HTTP status, the body's `error`, or one object."""
    if status >= 400:
        return "http"
    if (
        isinstance(body, dict)
        and isinstance(body.get("error"), dict)
        and body.get("result") is None
    ):
        return "body"
    result = body.get("result") if isinstance(body, dict) else None
    entries = result.get(writes_key) if writes_key and isinstance(result, dict) else None
    if isinstance(entries, list) and any(
        isinstance(e, dict) and e.get("success") not in (True, "true", 1, "1") for e in entries
    ):
        return "object"
    return "none"


def paging_keys(body: Mapping[str, Any], names: Iterable[str] = ("hasMore",)) -> set[str]:
    """Which paging keys an answer carries, at the top and inside `result` (`result.hasMore`)."""
    found = {n for n in names if n in body}
    result = body.get("result")
    if isinstance(result, dict):
        found |= {f"result.{n}" for n in names if n in result}
    return found
