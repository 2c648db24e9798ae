"""Helpers for the profile tests: write a profile file in a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

CANARY = "canary-Zq8vX3-do-not-print"
"""A distinctive secret: it must never show up in output, errors or reprs."""

WriteToml = Callable[[str], Path]


@pytest.fixture
def write_toml(tmp_path: Path) -> WriteToml:
    """Write dedented TOML to tmp_path/config/profiles.toml (mode 0600); returns the path."""

    def write(text: str) -> Path:
        path = tmp_path / "config" / "profiles.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        path.chmod(0o600)
        return path

    return write
