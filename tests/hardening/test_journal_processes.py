"""Issue 14 finding 2: several processes append to one journal while another compacts it;
not one line is lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crmtui.services import journal_store

WORKER = Path(__file__).with_name("journal_worker.py")
APPENDERS = 4
VERSIONS = 150  # per appender: 5 items, each written 30 times


def test_concurrent_appends_survive_a_concurrent_compaction(tmp_path: Path) -> None:
    path = tmp_path / "journal-shared.jsonl"
    stop = tmp_path / "stop"
    compactor = subprocess.Popen(
        [sys.executable, str(WORKER), "compact", str(path), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    appenders = [
        subprocess.Popen([sys.executable, str(WORKER), "append", str(path), f"p{n}", str(VERSIONS)])
        for n in range(APPENDERS)
    ]
    try:
        assert [p.wait(timeout=120) for p in appenders] == [0] * APPENDERS
    finally:
        stop.touch()
        out, _ = compactor.communicate(timeout=60)
    assert compactor.returncode == 0
    assert int(out) > 10  # it really compacted while they appended
    items = journal_store.load(path)
    # Each item's last version is the last one written: no append went to a replaced file.
    expected = {
        f"p{n}-{k}": max(v for v in range(VERSIONS) if v % 5 == k)
        for n in range(APPENDERS)
        for k in range(5)
    }
    lost = {key: (items.get(key) or {}).get("version") for key, v in expected.items()}
    assert {key: v for key, v in lost.items() if v != expected[key]} == {}
