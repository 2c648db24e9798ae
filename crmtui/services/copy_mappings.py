"""Copy mappings saved per profile pair in the profile file (`[mappings."A->B"]`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from crmtui.profiles.loader import read_toml
from crmtui.profiles.writer import atomic_write, render


def save_mapping(path: Path, pair: str, fields: Mapping[str, str]) -> None:
    """Store `fields` (source field -> target field) under `pair`, keeping the rest of the file."""
    _, data = read_toml(path)
    mappings = data.setdefault("mappings", {})
    mappings[pair] = dict(fields)
    atomic_write(path, render(data))
