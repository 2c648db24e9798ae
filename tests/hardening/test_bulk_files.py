"""Issue 14 finding 11: bulk result files hold record data, so they are 0600; a FILE that is not
a regular file (/dev/null, a pipe) never gets `/dev/null.success.csv` written beside it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from crmtui.cli.main import main

from .conftest import HostileDemo


def test_result_files_are_private(
    hostile_demo: HostileDemo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "rows.csv"
    source.write_text(f"id,City\n{hostile_demo.lead_id},Lisbon\nNOPE,Porto\n", encoding="utf-8")
    code = main(["--demo", "-p", hostile_demo.profile, "bulk", "update", "lead", str(source), "-y"])
    assert code == 1, capsys.readouterr().err  # one row failed (no such lead)
    for name in ("rows.success.csv", "rows.errors.csv"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o600, f"{name}: {mode:o}"
    assert "NOPE" in (tmp_path / "rows.errors.csv").read_text(encoding="utf-8")


def test_dev_null_input_writes_nothing_beside_it(
    hostile_demo: HostileDemo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    beside = [Path("/dev/null.success.csv"), Path("/dev/null.errors.csv")]
    existed = [p.exists() for p in beside]
    try:
        code = main(["--demo", "-p", hostile_demo.profile, "bulk", "update", "lead", "/dev/null",
                     "-y"])  # fmt: skip
        err = capsys.readouterr().err
        assert [p.exists() for p in beside] == existed
    finally:
        for path, was in zip(beside, existed, strict=True):
            if path.exists() and not was:
                path.unlink()
    assert code == 0, err
    written = sorted(p.name for p in tmp_path.glob("bulk-*.csv"))
    assert len(written) == 2, written
    assert all(str(tmp_path) in err or name in err for name in written)
