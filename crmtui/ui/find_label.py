"""The find's part of the status line: where the cursor is, the matches, the local copy's age."""

from __future__ import annotations

import time
from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmtui.ui.find import Finder


def status_label(self: Finder) -> str:
    """'row 1,234 of 48,213 · match 3 of 17 · local copy, synced 2 min ago'."""
    records = self.records
    count = records.row_count
    known = records.total if records.total is not None else records.end
    parts: list[str] = []
    if count == 0:
        parts.append("no rows")
    else:
        of = f"{known:,}" if known is not None else f"{len(records.rows):,}+"
        parts.append(f"row {records.cursor + 1:,} of {of}")
    if self.active:
        parts.append(match_label(self, count))
    if self.from_mirror() and self.mirror is not None and records.entity is not None:
        synced = self.mirror.synced_at(records.entity.name)
        if synced is not None:
            from crmtui.services.mirror import ago

            parts.append(f"local copy, synced {ago(time.time() - synced)}")
    if self.sync_note:
        parts.append(self.sync_note)
    if records.marks:
        parts.append(f"{len(records.marks):,} marked")
    return " · ".join(parts)


def match_label(self: Finder, count: int) -> str:
    """Where the cursor is among the matches, or how many there are (so far)."""
    if self.every_row:
        return f"{count:,} match{'es' if count != 1 else ''}"
    total = len(self.matches)
    cursor = self.records.cursor
    at = bisect_left(self.matches, cursor)
    if self.counting:
        text = "match 1, counting the others…" if total else "counting matches…"
    elif at < total and self.matches[at] == cursor:
        text = f"match {at + 1:,} of {total:,}"
    else:
        text = f"{total:,} match{'es' if total != 1 else ''}"
    if self.scanning:
        of = f"/{self.read_total:,}" if self.read_total else ""
        text += f" so far, scanning {self.read:,}{of} (esc stops)"
    return text
