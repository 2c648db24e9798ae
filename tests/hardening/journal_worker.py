"""A process sharing one journal file: `append PATH TAG N` writes N versions of 5 items;
`compact PATH STOPFILE` loads (and so compacts) the journal in a loop until STOPFILE exists."""

from __future__ import annotations

import sys
from pathlib import Path

from crmtui.services import journal_store


def append(path: Path, tag: str, count: int) -> None:
    """Versions 0..count-1 of the items `tag-0`..`tag-4`, round-robin."""
    for version in range(count):
        item = f"{tag}-{version % 5}"
        journal_store.append(path, {"id": item, "version": version, "tag": tag})


def compact(path: Path, stop: Path) -> int:
    """Load with a tiny compaction threshold until told to stop; how many loads ran."""
    journal_store.COMPACT_AFTER = 3
    loads = 0
    while not stop.exists():
        journal_store.load(path)
        loads += 1
    return loads


if __name__ == "__main__":
    kind, target = sys.argv[1], Path(sys.argv[2])
    if kind == "append":
        append(target, sys.argv[3], int(sys.argv[4]))
    else:
        print(compact(target, Path(sys.argv[3])))
