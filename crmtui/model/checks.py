"""Checks of one value against a plain type (str, bool, int, float, a Literal, a class), read the
way pydantic's lax mode reads input, failing with pydantic-shaped errors (see `crmtui.model.shape`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NoReturn, get_args, get_origin

Loc = tuple[str | int, ...]
"""Where a value sits in the input: keys and list indexes, outermost first."""
Checker = Callable[[Any, Loc], Any]
"""Checks a value found at a loc; returns it (converted to its type) or raises Invalid."""


class Invalid(ValueError):
    """Input that does not fit a model: `errors()` lists every problem, never an input value."""

    def __init__(self, errors: list[dict[str, Any]], title: str = "") -> None:
        self._errors = errors
        lines = [f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in errors]
        super().__init__(f"{len(errors)} problem(s) in {title or 'the input'}: " + "; ".join(lines))

    def errors(self) -> list[dict[str, Any]]:
        """Each problem as a dict: type, loc (a tuple of keys and indexes), msg, ctx."""
        return [dict(error) for error in self._errors]


def error(kind: str, msg: str, loc: Loc, **ctx: Any) -> dict[str, Any]:
    """One problem, shaped as pydantic's `ErrorDetails`."""
    return {"type": kind, "loc": loc, "msg": msg, "ctx": ctx}


def fail(kind: str, msg: str, loc: Loc, **ctx: Any) -> NoReturn:
    """Raise Invalid holding one problem."""
    raise Invalid([error(kind, msg, loc, **ctx)])


@dataclass(frozen=True)
class Check:
    """`Annotated[T, Check(run)]`: the field is checked by `run(value, loc)`, not by its type."""

    run: Checker


def check_str(value: Any, loc: Loc) -> str:
    """Text (bytes are decoded as UTF-8); nothing else becomes text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            fail(
                "string_unicode",
                "Input should be a valid string, unable to parse raw data as a unicode string",
                loc,
            )
    fail("string_type", "Input should be a valid string", loc)


_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def check_bool(value: Any, loc: Loc) -> bool:
    """A bool, 0 or 1, or a word: true/false, yes/no, on/off, t/f, y/n, 1/0 (any case)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    elif not isinstance(value, int | float) or (
        isinstance(value, float) and not value.is_integer()
    ):
        fail("bool_type", "Input should be a valid boolean", loc)
    elif value in (0, 1):
        return bool(value)
    fail("bool_parsing", "Input should be a valid boolean, unable to interpret input", loc)


def check_float(value: Any, loc: Loc) -> float:
    """A number, a bool, or text that parses as one (inf and nan included)."""
    if isinstance(value, float):
        return value
    if isinstance(value, int):  # bool included, as pydantic's lax mode reads it
        try:
            return float(value)
        except OverflowError:
            pass
    elif isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            fail(
                "float_parsing",
                "Input should be a valid number, unable to parse string as a number",
                loc,
            )
    fail("float_type", "Input should be a valid number", loc)


def check_int(value: Any, loc: Loc) -> int:
    """A whole number: an int, a bool, a float without a fraction, or text of one."""
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            fail("finite_number", "Input should be a finite number", loc)
        if not value.is_integer():
            fail(
                "int_from_float",
                "Input should be a valid integer, got a number with a fractional part",
                loc,
            )
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        whole, dot, zeros = text.partition(".")
        try:
            return int(whole if dot and not zeros.strip("0") else text)
        except ValueError:
            fail(
                "int_parsing",
                "Input should be a valid integer, unable to parse string as an integer",
                loc,
            )
    fail("int_type", "Input should be a valid integer", loc)


def _choices(values: tuple[Any, ...]) -> str:
    shown = [repr(value) for value in values]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def check_literal(choices: tuple[Any, ...]) -> Checker:
    """The check that a value is one of `choices` (of the same type)."""
    expected = _choices(choices)

    def literal(value: Any, loc: Loc) -> Any:
        for choice in choices:
            if type(value) is type(choice) and value == choice:
                return choice
        fail("literal_error", f"Input should be {expected}", loc, expected=expected)

    return literal


def check_instance(cls: type) -> Checker:
    """The check that a value is an instance of `cls`."""

    def instance(value: Any, loc: Loc) -> Any:
        if isinstance(value, cls):
            return value
        name = cls.__name__
        fail("is_instance_of", f"Input should be an instance of {name}", loc, class_name=name)

    return instance


_PLAIN: dict[Any, Checker] = {
    str: check_str,
    bool: check_bool,
    int: check_int,
    float: check_float,
    Any: lambda value, loc: value,
}


def kind_checker(hint: Any) -> Checker:
    """The check for a plain type: a scalar, a Literal, or a class (an instance is expected)."""
    if hint in _PLAIN:
        return _PLAIN[hint]
    if get_origin(hint) is Literal:
        return check_literal(get_args(hint))
    if isinstance(hint, type):
        return check_instance(hint)
    raise TypeError(f"cannot check a field of type {hint!r}")


def check_list(value: Any, loc: Loc, item: Checker) -> list[Any]:
    """`value` as a list (from a list, tuple or set), each item checked by `item`."""
    if not isinstance(value, list | tuple | set | frozenset):
        fail("list_type", "Input should be a valid list", loc)
    out, errors = [], []
    for index, element in enumerate(value):
        try:
            out.append(item(element, (*loc, index)))
        except Invalid as exc:
            errors.extend(exc.errors())
    if errors:
        raise Invalid(errors)
    return out


def check_dict(value: Any, loc: Loc, key: Checker, item: Checker) -> dict[Any, Any]:
    """`value` (a mapping) as a dict, each key checked by `key` and value by `item`."""
    if not isinstance(value, Mapping):
        fail("dict_type", "Input should be a valid dictionary", loc)
    out, errors = {}, []
    for name, element in value.items():
        try:
            out[key(name, (*loc, name, "[key]"))] = item(element, (*loc, name))
        except Invalid as exc:
            errors.extend(exc.errors())
    if errors:
        raise Invalid(errors)
    return out


def _number(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


_BOUNDS: dict[str, tuple[Callable[[float, float], bool], str, str]] = {
    "le": (lambda v, b: v <= b, "less_than_equal", "less than or equal to"),
    "lt": (lambda v, b: v < b, "less_than", "less than"),
    "ge": (lambda v, b: v >= b, "greater_than_equal", "greater than or equal to"),
    "gt": (lambda v, b: v > b, "greater_than", "greater than"),
}


def bounded(run: Checker, bounds: dict[str, float], min_length: int | None) -> Checker:
    """`run`, then the number's bounds (le, lt, ge, gt: pydantic's order) or the text's minimum
    length; None passes."""

    def checked(value: Any, loc: Loc) -> Any:
        value = run(value, loc)
        if value is None:
            return None
        for name, bound in bounds.items():
            holds, kind, words = _BOUNDS[name]
            if not holds(value, bound):
                fail(kind, f"Input should be {words} {_number(bound)}", loc, **{name: bound})
        if min_length is not None and len(value) < min_length:
            unit = "character" if min_length == 1 else "characters"
            fail(
                "string_too_short",
                f"String should have at least {min_length} {unit}",
                loc,
                min_length=min_length,
            )
        return value

    return checked
