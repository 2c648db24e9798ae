"""Small typed models checked when built, with pydantic-shaped errors (type, loc, msg, ctx).

The profile file's models are built on this, not on pydantic, so that opening a profile imports
no validation library (pydantic cost a tenth of a second or more of the start-up). A `Model`
declares its fields as annotations, like a dataclass: `str`, `bool`, `int`, `float`, a `Literal`,
`X | None`, `list[X]`, `dict[str, X]`, another `Model`, any class (an instance is expected), or
`Annotated[T, Check(run)]` for a rule of its own. `field()` adds a default, bounds, a minimum
length, a `check` run on the value, or keeps a field out of dumps. Input is read the way pydantic's
lax mode reads it ("5" is a float, "yes" a bool), and every problem is reported at once, shaped as
pydantic's `ErrorDetails` so `crmtui.profiles.problems` words them. The API is the part of
pydantic's `BaseModel` crmtui uses: `model_validate`, `model_dump`, `model_copy`, `model_fields`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Annotated, Any, ClassVar, Literal, Self, Union, get_args, get_origin
from typing import dataclass_transform as _dataclass_transform

from crmtui.model.checks import (
    Check,
    Checker,
    Invalid,
    Loc,
    bounded,
    check_dict,
    check_list,
    error,
    fail,
    kind_checker,
)

__all__ = ["Check", "Field", "Invalid", "Loc", "Model", "fail", "field"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()
"""The default of a required field."""


@dataclass(frozen=True)
class _Spec:
    default: Any
    default_factory: Callable[[], Any] | None
    bounds: dict[str, float]
    min_length: int | None
    check: Callable[[Any], Any] | None
    exclude: bool


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
    min_length: int | None = None,
    check: Callable[[Any], Any] | None = None,
    exclude: bool = False,
) -> Any:
    """A field's settings: its default, bounds, minimum length, a `check` (value -> value,
    ValueError if wrong; not run on None) and whether dumps leave it out."""
    bounds = {k: v for k, v in {"le": le, "lt": lt, "ge": ge, "gt": gt}.items() if v is not None}
    return _Spec(default, default_factory, bounds, min_length, check, exclude)


@dataclass(frozen=True)
class Field:
    """One field of a model: its name, type (without `Annotated` metadata) and default."""

    name: str
    annotation: Any
    default: Any
    default_factory: Callable[[], Any] | None
    exclude: bool
    run: Checker

    def is_required(self) -> bool:
        """Whether the input must give it (no default)."""
        return self.default is _MISSING and self.default_factory is None

    def make_default(self) -> Any:
        """The default value (a fresh one from the factory, if it has one)."""
        return self.default_factory() if self.default_factory is not None else self.default


@_dataclass_transform(kw_only_default=True, field_specifiers=(field,))
class Model:
    """A record whose fields are checked when it is built; unknown keys are refused."""

    __slots__ = ("__dict__", "_set")
    _set: set[str]
    model_fields: ClassVar[dict[str, Field]] = {}
    """The fields by name, in declaration order (a base's first)."""
    _frozen: ClassVar[bool] = False

    def __init_subclass__(cls, *, frozen: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._frozen = frozen or cls._frozen
        fields = dict(cls.model_fields)
        for name, hint in inspect.get_annotations(cls, eval_str=True).items():
            origin: Any = get_origin(hint)
            if origin is ClassVar or name.startswith("_"):
                continue
            value = cls.__dict__.get(name, _MISSING)
            if name in cls.__dict__:
                delattr(cls, name)  # the instance holds the value; the field, its default
            spec = value if isinstance(value, _Spec) else _Spec(value, None, {}, None, None, False)
            fields[name] = _field(name, hint, spec)
        cls.model_fields = fields

    def __init__(self, **data: Any) -> None:
        self._fill(*type(self)._check(data, ()))

    def _fill(self, values: dict[str, Any], given: set[str]) -> None:
        self.__dict__.update(values)
        object.__setattr__(self, "_set", given)

    @classmethod
    def model_validate(cls, obj: Any) -> Self:
        """`obj` (a mapping, or already an instance) checked as this model; Invalid if it does not
        fit."""
        return cls._validate(obj, ())

    @classmethod
    def _validate(cls, obj: Any, loc: Loc) -> Self:
        if isinstance(obj, cls):
            return obj
        made = cls.__new__(cls)
        made._fill(*cls._check(obj, loc))
        return made

    @classmethod
    def _check(cls, data: Any, loc: Loc) -> tuple[dict[str, Any], set[str]]:
        if not isinstance(data, Mapping):
            name = cls.__name__
            msg = f"Input should be a valid dictionary or instance of {name}"
            fail("model_type", msg, loc, class_name=name)
        errors: list[dict[str, Any]] = []
        values: dict[str, Any] = {}
        for name, spec in cls.model_fields.items():
            if name in data:
                try:
                    values[name] = spec.run(data[name], (*loc, name))
                except Invalid as exc:
                    errors.extend(exc.errors())
            elif spec.is_required():
                errors.append(error("missing", "Field required", (*loc, name)))
            else:
                values[name] = spec.make_default()
        extra = [key for key in data if key not in cls.model_fields]
        errors += [
            error("extra_forbidden", "Extra inputs are not permitted", (*loc, k)) for k in extra
        ]
        if errors:
            raise Invalid(errors, cls.__name__)
        return values, set(data)

    @classmethod
    def model_construct(cls, **values: Any) -> Self:
        """An instance of `values` as they are (not checked), defaults for the rest."""
        made = cls.__new__(cls)
        defaults = {n: f.make_default() for n, f in cls.model_fields.items() if n not in values}
        made._fill({**defaults, **values}, set(values) & set(cls.model_fields))
        return made

    @property
    def model_fields_set(self) -> set[str]:
        """The fields the input gave (the others hold their default)."""
        return set(self._set)

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Self:
        """A shallow copy, with the fields in `update` replaced (not checked)."""
        made = type(self).__new__(type(self))
        made._fill({**self.__dict__, **(update or {})}, self._set | set(update or {}))
        return made

    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] = "python",
        exclude: set[str] | None = None,
        exclude_unset: bool = False,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The fields as plain data (models as dicts; with mode "json", JSON's types only)."""
        out: dict[str, Any] = {}
        for name, spec in self.model_fields.items():
            if spec.exclude or name in (exclude or ()) or (exclude_unset and name not in self._set):
                continue
            value = getattr(self, name)
            if not (exclude_none and value is None):
                out[name] = _dump(value, mode, exclude_unset, exclude_none)
        return out

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_set":  # copy and pickle restore it this way
            object.__setattr__(self, name, value)
            return
        if name not in self.model_fields:
            raise AttributeError(f"{type(self).__name__!r} object has no field {name!r}")
        if self._frozen:
            raise AttributeError(f"{type(self).__name__!r} is frozen: {name!r} cannot be set")
        self.__dict__[name] = value
        self._set.add(name)

    def _values(self) -> tuple[Any, ...]:
        return tuple(self.__dict__.get(name) for name in self.model_fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Model)
        return self._values() == other._values()

    def __hash__(self) -> int:
        if not self._frozen:
            raise TypeError(f"unhashable type: {type(self).__name__!r}")
        return hash((type(self), self._values()))

    def _repr_items(self) -> Iterator[tuple[str, Any]]:
        """The (name, value) pairs repr and str show; a model with secrets masks them here."""
        for name in self.model_fields:
            yield name, self.__dict__.get(name)

    def __repr__(self) -> str:
        items = ", ".join(f"{name}={value!r}" for name, value in self._repr_items())
        return f"{type(self).__name__}({items})"

    def __str__(self) -> str:
        return " ".join(f"{name}={value!r}" for name, value in self._repr_items())


def _field(name: str, hint: Any, spec: _Spec) -> Field:
    """A field of type `hint` with `spec`'s settings; TypeError for a type it cannot check."""
    run = _checker(hint)
    if spec.bounds or spec.min_length is not None:
        run = bounded(run, spec.bounds, spec.min_length)
    if spec.check is not None:
        run = _with_check(run, spec.check)
    bare = get_args(hint)[0] if get_origin(hint) is Annotated else hint
    return Field(name, bare, spec.default, spec.default_factory, spec.exclude, run)


def _with_check(run: Checker, check: Callable[[Any], Any]) -> Checker:
    def checked(value: Any, loc: Loc) -> Any:
        value = run(value, loc)
        if value is None:
            return None
        try:
            return check(value)
        except ValueError as exc:
            fail("value_error", f"Value error, {exc}", loc, error=str(exc))

    return checked


def _checker(hint: Any) -> Checker:
    """The function checking a value of type `hint` (at a loc) and returning it as that type."""
    origin, args = get_origin(hint), get_args(hint)
    if origin is Annotated:
        own = [meta for meta in args[1:] if isinstance(meta, Check)]
        return own[-1].run if own else _checker(args[0])
    if origin in (Union, UnionType):
        rest = [arg for arg in args if arg is not NoneType]
        if len(rest) != 1 or len(args) != 2:
            raise TypeError(f"a field may be `X | None`, not {hint}: use Annotated[..., Check]")
        inner = _checker(rest[0])
        return lambda value, loc: None if value is None else inner(value, loc)
    if origin is list:
        item = _checker(args[0])
        return lambda value, loc: check_list(value, loc, item)
    if origin is dict:
        key, item = _checker(args[0]), _checker(args[1])
        return lambda value, loc: check_dict(value, loc, key, item)
    if isinstance(hint, type) and issubclass(hint, Model):
        return hint._validate
    return kind_checker(hint)


def _dump(value: Any, mode: Literal["python", "json"], unset: bool, none: bool) -> Any:
    if isinstance(value, Model):
        return value.model_dump(mode=mode, exclude_unset=unset, exclude_none=none)
    if isinstance(value, Mapping):
        return {k: _dump(v, mode, unset, none) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_dump(v, mode, unset, none) for v in value]
    if mode == "json" and not isinstance(value, str | int | float | NoneType):
        return str(value)
    return value
