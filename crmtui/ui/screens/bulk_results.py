"""A bulk edit's outcome and progress, where its result files go, what it says at the end."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from crmtui.profiles import locations
from crmtui.services.bulk import BulkResult
from crmtui.ui.text import plain


@dataclass
class BulkOutcome:
    """What a finished run did, and where its files are."""

    result: BulkResult
    success_file: Path
    error_file: Path


def result_directory() -> Path:
    """Where the result files go: the current directory when writable, else the data dir."""
    here = Path.cwd()
    if os.access(here, os.W_OK):
        return here
    folder = locations.data_dir() / "bulk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class BulkProgress(Message):
    """One more record done (coalesced: only the newest count matters)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        """A newer count replaces an older one still queued."""
        return isinstance(message, BulkProgress)


def summary(outcome: BulkOutcome, entity: str) -> str:
    """Counts and both files; with failures, the command that applies the fixed error file."""
    result = outcome.result
    updated = sum(1 for r in result.succeeded if r.status == "updated")
    text = (
        f"{updated} updated, {len(result.succeeded) - updated} unchanged, "
        f"{len(result.failed)} failed (batch {result.batch}).\n"
        f"Success file: {outcome.success_file}\nError file: {outcome.error_file}"
    )
    if result.failed:
        text += f"\nFix it and run: crmtui bulk update {entity} {outcome.error_file}"
    return plain(text, keep_newlines=True)
