"""Saved views: a named filter, sort and columns of one entity, kept per profile.

One JSON file in the user data dir (`views.json`, mode 0600, written atomically), keyed by
profile; a view's name is unique within its profile (case-insensitively).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crmtui.errors import UsageError
from crmtui.files import write_json_atomic
from crmtui.model import Sort
from crmtui.profiles import locations

VIEWS_FILE = "views.json"


@dataclass(frozen=True)
class View:
    """What a list shows: an entity, a filter, a sort and the columns."""

    name: str
    entity: str
    filter: str = ""
    sort: str | None = None  # FIELD or FIELD:desc
    columns: tuple[str, ...] = field(default_factory=tuple)

    @property
    def sort_spec(self) -> Sort | None:
        """The sort as a `Sort`."""
        return Sort.parse(self.sort) if self.sort else None

    @staticmethod
    def sort_text(sort: Sort | None) -> str | None:
        """A `Sort` as the text a view keeps."""
        if sort is None:
            return None
        return f"{sort.field}:desc" if sort.descending else sort.field

    def describe(self) -> str:
        """One line: entity, filter, sort."""
        parts = [self.entity]
        if self.filter:
            parts.append(self.filter)
        if self.sort:
            parts.append(f"sorted by {self.sort}")
        return " · ".join(parts)


class Views:
    """The saved views of every profile, in one file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or locations.state_path(VIEWS_FILE)
        self.data: dict[str, Any] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            loaded = {}
        if isinstance(loaded, dict) and isinstance(loaded.get("profiles"), dict):
            self.data = loaded

    def list(self, profile: str, entity: str | None = None) -> list[View]:
        """The views of `profile` (of one entity), by name."""
        found = []
        for raw in self.data.get("profiles", {}).get(profile, {}).values():
            view = _view(raw)
            if view is not None and (entity is None or view.entity == entity):
                found.append(view)
        return sorted(found, key=lambda v: v.name.casefold())

    def get(self, profile: str, name: str) -> View:
        """The view called `name`, or a UsageError listing the names there are."""
        for view in self.list(profile):
            if view.name.casefold() == name.strip().casefold():
                return view
        names = ", ".join(v.name for v in self.list(profile)) or "none yet"
        raise UsageError(f"no saved view {name!r} in profile {profile!r}; there are: {names}")

    def save(self, profile: str, view: View) -> None:
        """Keep `view` (replacing one of the same name)."""
        if not view.name.strip():
            raise UsageError("a view needs a name")
        views = self.data.setdefault("profiles", {}).setdefault(profile, {})
        for key in [k for k in views if k.casefold() == view.name.strip().casefold()]:
            del views[key]
        views[view.name.strip()] = {**asdict(view), "columns": list(view.columns)}
        write_json_atomic(self.path, self.data, indent=2)

    def delete(self, profile: str, name: str) -> None:
        """Forget a view."""
        view = self.get(profile, name)
        del self.data["profiles"][profile][view.name]
        write_json_atomic(self.path, self.data, indent=2)


def _view(raw: Any) -> View | None:
    if not isinstance(raw, dict):
        return None
    try:
        return View(
            name=str(raw["name"]),
            entity=str(raw["entity"]),
            filter=str(raw.get("filter") or ""),
            sort=str(raw["sort"]) if raw.get("sort") else None,
            columns=tuple(str(c) for c in raw.get("columns") or ()),
        )
    except (KeyError, TypeError):
        return None
