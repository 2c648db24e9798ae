"""Keep a vendor's paging finite, whatever its answers claim (totals, page counts, next links).

A loop over pages stops at an empty page or one it has seen before, and gives up with a clear
message after `max_pages`: a server claiming 12,345 pages (or sending one page forever) costs a
few requests, not an endless stream of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from crmtui.errors import VendorError

MAX_PAGES = 10_000
"""Pages one loop may fetch at most (500,000 records at 50 a page)."""


class PageGuard:
    """Counts the pages of one paging loop and recognises empty and repeated ones."""

    def __init__(self, what: str, vendor: str, *, max_pages: int = MAX_PAGES) -> None:
        self.what = what
        self.vendor = vendor
        self.max_pages = max_pages
        self.pages = 0
        self._seen: set[bytes] = set()

    def take(self, items: Sequence[Any]) -> bool:
        """Whether `items` is a new page to use; False (stop here) when it is empty or repeats
        one already taken. Raises VendorError once more than `max_pages` were taken."""
        if not items:
            return False
        digest = _fingerprint(items)
        if digest in self._seen:
            return False
        self._seen.add(digest)
        self.pages += 1
        if self.pages > self.max_pages:
            raise VendorError(
                f"{self.vendor} kept sending pages of {self.what}: stopped after "
                f"{self.max_pages:,} pages (its paging does not end)"
            )
        return True


def _fingerprint(items: Sequence[Any]) -> bytes:
    text = json.dumps(items, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()
