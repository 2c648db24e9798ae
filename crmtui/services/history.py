"""Console history per profile on disk: secrets masked, atomic 0600 writes, saved named requests."""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmtui.files import write_json_atomic
from crmtui.http.redact import MASK, Redactor, is_secret_name
from crmtui.model.raw import RawRequest, RawResponse
from crmtui.profiles.locations import state_path
from crmtui.services.console import describe_request, request_from_dict, request_to_dict

LIMIT = 500
"""Entries kept per profile; the oldest go first."""


def history_path(profile: str) -> Path:
    """The history file of `profile` under the data dir (a safe file name whatever the name)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", profile).strip("._") or "profile"
    if safe != profile:
        safe += "-" + hashlib.sha256(profile.encode()).hexdigest()[:8]
    return state_path(f"console-history-{safe}.json")


def mask_request(request: RawRequest, redactor: Redactor | None = None) -> RawRequest:
    """A copy with secret-named params, headers, form fields and JSON keys (and every known
    secret value) masked: what history and the screen may keep."""
    red = redactor or Redactor()

    def pairs(values: dict[str, str]) -> dict[str, str]:
        return {k: MASK if is_secret_name(k) else red.text(v) for k, v in values.items()}

    return RawRequest(
        method=red.text(request.method),
        path=red.text(request.path),
        query=pairs(request.query),
        headers=pairs(request.headers),
        body=red.obj(request.body),
        form=pairs(request.form),
        host=request.host,
    )


@dataclass
class HistoryEntry:
    """One call as the console sent it (masked), with how it went."""

    request: RawRequest
    when: float
    status: int | None = None
    elapsed: float | None = None
    size: int | None = None

    @property
    def label(self) -> str:
        """One line for lists: the request and its status."""
        status = "—" if self.status is None else str(self.status)
        return f"{describe_request(self.request)}  [{status}]"

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "request": request_to_dict(self.request),
            "when": self.when,
            "status": self.status,
            "elapsed": self.elapsed,
            "size": self.size,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HistoryEntry:
        """Read back one entry."""
        return cls(
            request_from_dict(data.get("request") or {}),
            float(data.get("when") or 0.0),
            data.get("status"),
            data.get("elapsed"),
            data.get("size"),
        )


class History:
    """The console history and saved requests of one profile, kept in one JSON file.

    `previous()`/`following()` walk the entries like a shell's up/down keys.
    """

    def __init__(
        self, profile: str, *, path: Path | None = None, redactor: Redactor | None = None
    ) -> None:
        self.profile = profile
        self.path = path or history_path(profile)
        self.redactor = redactor or Redactor()
        self.entries: list[HistoryEntry] = []
        self.saved: dict[str, RawRequest] = {}
        self.problem: str | None = None
        self._cursor: int | None = None
        self._load()

    def __repr__(self) -> str:
        return f"History({self.profile!r}, {len(self.entries)} entries)"

    # -- persistence ----------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries = [HistoryEntry.from_dict(e) for e in data.get("entries") or []]
            self.saved = {
                str(name): request_from_dict(req) for name, req in (data.get("saved") or {}).items()
            }
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            self.problem = f"console history unreadable, starting afresh ({type(exc).__name__})"
            self.entries, self.saved = [], {}

    def write(self) -> None:
        """Write the whole file atomically (temp file, fsync, rename), mode 0600."""
        data = {
            "version": 1,
            "entries": [e.to_dict() for e in self.entries[-LIMIT:]],
            "saved": {name: request_to_dict(req) for name, req in self.saved.items()},
        }
        write_json_atomic(self.path, data)

    # -- entries --------------------------------------------------------------------------------
    def add(self, request: RawRequest, response: RawResponse | None = None) -> HistoryEntry:
        """Record a call (masked) and write the file; the up/down cursor starts again."""
        entry = HistoryEntry(mask_request(request, self.redactor), time.time())
        if response is not None:
            entry.status, entry.elapsed, entry.size = (
                response.status,
                response.elapsed,
                response.size,
            )
        self.entries.append(entry)
        del self.entries[:-LIMIT]
        self._cursor = None
        self.write()
        return entry

    def previous(self) -> RawRequest | None:
        """One step back (the up key); None at the oldest."""
        if not self.entries:
            return None
        if self._cursor is None:
            self._cursor = len(self.entries) - 1
        elif self._cursor > 0:
            self._cursor -= 1
        else:
            return None
        return self.entries[self._cursor].request

    def following(self) -> RawRequest | None:
        """One step forward (the down key); None past the newest."""
        if self._cursor is None:
            return None
        if self._cursor >= len(self.entries) - 1:
            self._cursor = None
            return None
        self._cursor += 1
        return self.entries[self._cursor].request

    def search(self, text: str) -> list[HistoryEntry]:
        """Entries whose request mentions `text` (case-insensitive), newest first."""
        needle = text.lower().strip()
        found = []
        for entry in reversed(self.entries):
            haystack = json.dumps(request_to_dict(entry.request), ensure_ascii=False).lower()
            if not needle or needle in haystack or needle in entry.label.lower():
                found.append(entry)
        return found

    # -- saved requests -------------------------------------------------------------------------
    def save_as(self, name: str, request: RawRequest) -> None:
        """Keep `request` (masked) under `name`, replacing one of that name."""
        clean = name.strip()
        if not clean:
            raise ValueError("a saved request needs a name")
        self.saved[clean] = mask_request(request, self.redactor)
        self.write()

    def open_saved(self, name: str) -> RawRequest | None:
        """The request saved under `name`, if any."""
        return self.saved.get(name.strip())

    def delete_saved(self, name: str) -> bool:
        """Forget a saved request; False when there was none."""
        if self.saved.pop(name.strip(), None) is None:
            return False
        self.write()
        return True
