"""Preferences survive a restart, are written atomically, and a broken file never stops the app."""

from __future__ import annotations

import json
from pathlib import Path

from crmtui.ui.prefs import load_prefs, memory_prefs


def test_columns_and_theme_survive_a_restart(tmp_path: Path) -> None:
    tmp_path = tmp_path / "state"
    prefs = load_prefs(tmp_path)
    assert prefs.columns("crm", "lead") is None
    prefs.set_columns("crm", "lead", ["email", "last_name"])
    prefs.set_theme("nord")
    again = load_prefs(tmp_path)
    assert again.columns("crm", "lead") == ["email", "last_name"]
    assert again.columns("other", "lead") is None  # per profile
    assert again.columns("crm", "contact") is None  # and per entity
    assert again.theme == "nord"
    assert [p.name for p in tmp_path.iterdir()] == ["prefs.json"]  # no temp file left behind


def test_a_broken_file_starts_afresh(tmp_path: Path) -> None:
    (tmp_path / "prefs.json").write_text("{not json")
    prefs = load_prefs(tmp_path)
    assert prefs.theme is None
    prefs.set_theme("nord")
    assert json.loads((tmp_path / "prefs.json").read_text())["theme"] == "nord"
    (tmp_path / "prefs.json").write_text(json.dumps({"columns": {"crm": {"lead": "oops"}}}))
    assert load_prefs(tmp_path).columns("crm", "lead") is None


def test_default_location_is_the_data_dir(isolated_home: Path) -> None:
    prefs = load_prefs()
    prefs.set_theme("nord")
    assert prefs.path == isolated_home / "data" / "prefs.json" and prefs.path.exists()
    memory = memory_prefs()
    memory.set_theme("nord")
    assert memory.path is None
