"""Atomic writes: the old file or the new one, private, and no temp file left behind."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from crmtui.files import write_json_atomic, write_json_lines_atomic


def test_a_json_file_is_replaced_whole_and_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "state.json"
    write_json_atomic(path, {"name": "Zoë"}, indent=1)
    assert json.loads(path.read_text(encoding="utf-8")) == {"name": "Zoë"}
    assert "Zoë" in path.read_text(encoding="utf-8")  # not escaped
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    write_json_lines_atomic(path, [{"a": 1}, {"b": 2}])
    assert path.read_text(encoding="utf-8") == '{"a":1}\n{"b":2}\n'
    assert os.listdir(path.parent) == ["state.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kept" / "state.json"
    write_json_atomic(path, {"v": 1})

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_json_atomic(path, {"v": 2})
    assert json.loads(path.read_text()) == {"v": 1}
    assert os.listdir(path.parent) == ["state.json"]
