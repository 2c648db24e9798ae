"""A profile file's profiles, each validated by its own vendor's model when it is first used.

Opening one profile then imports one vendor's profile model, not every registered vendor's. The
loader checks the profiles it is asked to at once; any other is checked when first read, and a
problem in it is a ConfigError then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

from crmtui.errors import ConfigError
from crmtui.model.profile import ProfileBase
from crmtui.model.shape import Invalid, Loc, fail

Table = Mapping[str, Any]
Pending = Table | Callable[[], Table]
"""A profile not validated yet: its table, or a function building it (the demo's)."""
ErrorDict = dict[str, Any]
"""One problem, shaped as pydantic's `ErrorDetails` (type, loc, msg, ctx): see `Invalid`."""


class Profiles(MutableMapping[str, ProfileBase]):
    """The profiles by name; reading one validates it (once) with its vendor's model."""

    def __init__(self, tables: Mapping[str, ProfileBase | Pending] | None = None) -> None:
        self._items: dict[str, ProfileBase | Pending] = dict(tables or {})
        self.source: tuple[Path, str] | None = None
        """The file and its text, so a problem found later names the line."""
        self._more: Callable[[], None] | None = None

    @classmethod
    def of(cls, value: Any, loc: Loc = ()) -> Profiles:
        """`value` as Profiles (the check of `Config.profiles`): kept, not checked."""
        if isinstance(value, Profiles):
            return value
        if not isinstance(value, Mapping):
            fail("dict_type", "Input should be a valid dictionary", loc)
        return cls(value)

    def later(self, name: str, make: Callable[[], Table]) -> None:
        """Add profile `name`, whose table `make` builds when it is first read."""
        self._items[name] = make

    def more_later(self, add: Callable[[], None]) -> None:
        """Run `add` (which adds profiles) once, before the names are first listed or counted,
        or a name not added yet is looked up: e.g. the demo's installed vendors, whose lookup
        reads every package's metadata, while the first profile opens without them."""
        self._more = add

    def _all(self) -> dict[str, ProfileBase | Pending]:
        if self._more is not None:
            add, self._more = self._more, None
            add()
        return self._items

    def __getitem__(self, name: str) -> ProfileBase:
        item = (self._items if name in self._items else self._all())[name]
        if isinstance(item, ProfileBase):
            return item
        profile, errors = self._validate(name, item)
        if profile is None:
            raise self._error(name, self._items[name], errors)
        self._items[name] = profile
        return profile

    def __setitem__(self, name: str, profile: ProfileBase) -> None:
        self._items[name] = profile

    def __delitem__(self, name: str) -> None:
        del self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __contains__(self, name: object) -> bool:
        return name in self._items or name in self._all()

    def __repr__(self) -> str:
        return f"Profiles({list(self._all())!r})"

    def first(self) -> str | None:
        """The first profile's name (adding none of those `more_later` would)."""
        return next(iter(self._items or self._all()), None)

    def check(self, names: Iterable[str] | None = None) -> list[ErrorDict]:
        """Validate `names` now (None: all); for the rest, check only that the vendor is known.

        Returns every problem found, as pydantic-shaped errors located under "profiles".
        """
        items = self._all() if names is None else self._items
        wanted = set(items) if names is None else set(names)
        errors: list[ErrorDict] = []
        for name, item in list(items.items()):
            if isinstance(item, ProfileBase):
                continue
            if name in wanted:
                profile, found = self._validate(name, item)
                if profile is not None:
                    self._items[name] = profile
                errors.extend(found)
            elif isinstance(item, Mapping):
                errors.extend(_vendor_errors(name, item))
        return errors

    def _validate(self, name: str, item: Pending) -> tuple[ProfileBase | None, list[ErrorDict]]:
        table = item() if callable(item) else item
        if callable(item):
            self._items[name] = table
        problems = _vendor_errors(name, table)
        if problems:
            return None, problems
        from crmtui.backends import registry

        cls = registry.profile_class(str(table["vendor"]))
        try:
            return cls.model_validate(dict(table)), []
        except Invalid as exc:
            return None, [
                {**error, "loc": ("profiles", name, table["vendor"], *error["loc"])}
                for error in exc.errors()
            ]

    def _error(self, name: str, item: object, errors: list[ErrorDict]) -> ConfigError:
        from crmtui.profiles.problems import config_error, from_errors

        path, text = self.source if self.source is not None else (None, "")
        data = {"profiles": {name: item if isinstance(item, Mapping) else {}}}
        return config_error(from_errors(errors, path, data, text), path)


def names(profiles: Mapping[str, Any]) -> Sequence[str]:
    """The profile names, listed when first read (`Profiles.more_later` runs only if they are)."""
    return _Names(profiles)


class _Names(Sequence[str]):
    """A mapping's keys, listed on first use."""

    def __init__(self, mapping: Mapping[str, Any]) -> None:
        self._mapping = mapping
        self._names: list[str] | None = None

    def _list(self) -> list[str]:
        if self._names is None:
            self._names = list(self._mapping)
        return self._names

    def __getitem__(self, index: Any) -> Any:
        return self._list()[index]

    def __len__(self) -> int:
        return len(self._list())

    def __iter__(self) -> Iterator[str]:
        return iter(self._list())


def _vendor_errors(name: str, table: Any) -> list[ErrorDict]:
    """The problem with `table`'s shape or vendor name, if any (no vendor model is imported)."""
    loc = ("profiles", name)
    if not isinstance(table, Mapping):
        return [{"type": "dict_type", "loc": loc, "msg": "expected a table", "ctx": {}}]
    if "vendor" not in table:
        return [{"type": "union_tag_not_found", "loc": loc, "msg": "missing vendor", "ctx": {}}]
    from crmtui.backends import registry

    tag = table["vendor"]
    if not isinstance(tag, str) or not registry.known(tag):
        msg = "unknown vendor"
        return [{"type": "union_tag_invalid", "loc": loc, "msg": msg, "ctx": {"tag": str(tag)}}]
    return []
