"""Issue 14 findings 4 and 12: a huge, a deeply nested or a very wrong profile file gets a clear
answer quickly: no hang, no RecursionError, no crash (exit 70)."""

from __future__ import annotations

import time
from pathlib import Path

from .conftest import crmtui

VALID = "[profiles.p]\nvendor = 'sharpspring'\nbase_url = 'https://x.invalid'\naccount_id = 'A'\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_a_huge_profile_file_is_refused_at_once(tmp_path: Path) -> None:
    config = _write(tmp_path / "profiles.toml", VALID + "# padding\n" * 400_000)  # ~4 MB
    started = time.monotonic()
    result = crmtui("list", "lead", data=tmp_path / "data", config=config)
    assert time.monotonic() - started < 20
    assert result.returncode == 2, result.stderr
    assert "larger than 1024 KiB" in result.stderr and str(config) in result.stderr


def test_a_deeply_nested_profile_file_is_a_clear_error(tmp_path: Path) -> None:
    deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    config = _write(tmp_path / "profiles.toml", deep + VALID)
    for command in (["list", "lead"], ["profiles", "validate"]):
        result = crmtui(*command, data=tmp_path / "data", config=config)
        assert result.returncode not in (0, 70), result.stderr
        assert "nested more than 16 levels" in result.stderr + result.stdout
        assert "RecursionError" not in result.stderr and "unexpected" not in result.stderr


def test_two_thousand_problems_are_reported_quickly(tmp_path: Path) -> None:
    tables = "".join(
        f"[profiles.p{n}]\nvendor = 'sharpspring'\nbase_url = 'https://x.invalid'\n"
        f"account_id = 'A'\nsecret_key = 'k'\nmode = 'write'\nbogus{n} = 1\n"
        for n in range(2000)
    )
    config = _write(tmp_path / "profiles.toml", tables)
    started = time.monotonic()
    result = crmtui("profiles", "validate", data=tmp_path / "data", config=config)
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    lines = [line for line in result.stdout.splitlines() if "unknown key" in line]
    assert len(lines) == 2000, result.stdout[-500:]
    assert f"{config}:14:" in lines[1]  # lines still found: p1's bogus key is on line 14
    assert elapsed < 15, elapsed
