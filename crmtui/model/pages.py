"""Pages of records: offset-addressed, so any page can be fetched in any order or concurrently."""

from __future__ import annotations

from dataclasses import dataclass, field

from crmtui.model.records import Record


@dataclass
class Page:
    """Records from `offset`; `next_offset` None at the end; `total` only when the vendor says."""

    records: list[Record]
    offset: int
    next_offset: int | None
    total: int | None = None
    notes: list[str] = field(default_factory=list)  # e.g. "sorted locally" warnings

    @property
    def is_last(self) -> bool:
        """Whether no page follows this one."""
        return self.next_offset is None


def count_label(loaded: int, total: int | None) -> str:
    """How much a list holds, honestly: '1,200 of 48,213' or '1,200+'."""
    if total is not None:
        return f"{loaded:,} of {total:,}"
    return f"{loaded:,}+"
