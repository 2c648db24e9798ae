"""Small user preferences kept in the data dir: chosen columns per profile and entity, theme."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmtui.files import write_json_atomic
from crmtui.profiles import locations

PREFS_FILE = "prefs.json"


@dataclass
class Prefs:
    """Preferences backed by one JSON file; every change is written atomically at once."""

    path: Path | None
    data: dict[str, Any] = field(default_factory=dict)

    def columns(self, profile: str, entity: str) -> list[str] | None:
        """The columns chosen for `entity` under `profile`, or None for the default."""
        chosen = self.data.get("columns", {}).get(profile, {}).get(entity)
        if isinstance(chosen, list) and all(isinstance(name, str) for name in chosen):
            return list(chosen)
        return None

    def set_columns(self, profile: str, entity: str, names: list[str]) -> None:
        """Remember the columns for `entity` under `profile`."""
        by_profile = self.data.setdefault("columns", {}).setdefault(profile, {})
        by_profile[entity] = list(names)
        self.save()

    @property
    def theme(self) -> str | None:
        """The theme last chosen, if any."""
        value = self.data.get("theme")
        return value if isinstance(value, str) else None

    def set_theme(self, name: str) -> None:
        """Remember the chosen theme."""
        self.data["theme"] = name
        self.save()

    def save(self) -> None:
        """Write the file atomically (temp file, fsync, rename); in-memory prefs are not saved."""
        if self.path is None:
            return
        write_json_atomic(self.path, self.data, indent=2, sort_keys=True)


def load_prefs(data_dir: Path | None = None) -> Prefs:
    """Preferences from `data_dir` (default: the user data dir); a broken file starts afresh."""
    path = data_dir / PREFS_FILE if data_dir is not None else locations.state_path(PREFS_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    return Prefs(path, data if isinstance(data, dict) else {})


def memory_prefs() -> Prefs:
    """Preferences that are never written (tests, screenshots)."""
    return Prefs(None)
