"""A process of the shared-journal chaos run (the data dir comes from CRMTUI_DATA_DIR):

write TAG N      journal N edits, each queued -> in flight -> applied, through `Journal`
compact STOP     load the journal with a tiny compaction threshold until STOP exists
count P N        print how many of the P writers' N edits each are missing or not applied
"""

from __future__ import annotations

import sys
from pathlib import Path

from crmtui.services import journal_store
from crmtui.services.journal import Journal, Op, State

PROFILE = "chaos-shared"


def write(tag: str, count: int) -> None:
    """`count` edits of lead TAG-n, each through its three states."""
    journal = Journal(PROFILE, "sandbox")
    for n in range(count):
        change = [{"field": "City", "old": "A", "new": f"{tag}-{n}"}]
        entry = journal.new(Op.UPDATE, "lead", record_id=f"{tag}-{n}", changes=change)
        journal.save(entry, state=State.IN_FLIGHT)
        journal.save(entry, state=State.APPLIED)


def compact(stop: Path) -> int:
    """Load (and so compact) until told to stop; how many loads ran."""
    journal_store.COMPACT_AFTER = 3
    journal = Journal(PROFILE, "sandbox")
    loads = 0
    while not stop.exists():
        journal.entries()
        loads += 1
    return loads


def count(writers: int, each: int) -> int:
    """Edits missing from the journal, or not at their last state (applied)."""
    applied = {
        e.record_id for e in Journal(PROFILE, "sandbox").entries() if e.state is State.APPLIED
    }
    wanted = {f"w{w}-{n}" for w in range(writers) for n in range(each)}
    return len(wanted - applied)


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "write":
        write(sys.argv[2], int(sys.argv[3]))
    elif kind == "compact":
        print(compact(Path(sys.argv[2])))
    else:
        print(count(int(sys.argv[2]), int(sys.argv[3])))
