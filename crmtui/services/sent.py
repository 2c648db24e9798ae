"""The local history of what crmtui sent to a vendor that cannot be read back, per profile.

A session keeps one for a backend with the `RecordsSent` capability (see `Session.sent`).

One JSON file per profile in the data dir, rewritten atomically (temp file, fsync, rename) with
mode 0600 on every entry, newest last on disk and newest first when read. Values sent under
secret-looking names are masked before they are written.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from crmtui.files import write_json_atomic
from crmtui.http.redact import MASK, is_secret_name
from crmtui.model.sent import SentRecord
from crmtui.profiles import locations

MAX_ENTRIES = 5000


def history_file_name(profile: str) -> str:
    """The history's file name for `profile` (a safe name, distinct for distinct profiles)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in profile)
    return f"sent-{safe[:60]}-{zlib.crc32(profile.encode()):08x}.json"


class SentHistory:
    """The calls sent through one profile and the vendor's answers, kept on disk."""

    def __init__(self, path: Path, *, limit: int = MAX_ENTRIES) -> None:
        self.path = path
        self.limit = limit
        self._entries = self._load()

    @classmethod
    def for_profile(cls, profile: str) -> SentHistory:
        """The history of `profile` in the user data dir."""
        return cls(locations.state_path(history_file_name(profile)))

    def _load(self) -> list[SentRecord]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        items = data.get("sent") if isinstance(data, dict) else None
        return [SentRecord.from_dict(i) for i in items or [] if isinstance(i, dict)]

    def entries(self) -> list[SentRecord]:
        """Every entry, newest first."""
        return list(reversed(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, record: SentRecord) -> None:
        """Append one call (secret-named values masked) and write the file at once."""
        sent = {k: MASK if is_secret_name(k) else v for k, v in record.sent.items()}
        masked = SentRecord(**{**record.to_dict(), "sent": sent})
        self._entries.append(masked)
        del self._entries[: max(len(self._entries) - self.limit, 0)]
        self._save()

    def _save(self) -> None:
        write_json_atomic(self.path, {"sent": [e.to_dict() for e in self._entries]})
