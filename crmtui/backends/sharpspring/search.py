"""What SharpSpring's `where` filters on the server: one key, an exact match.

getLeads takes one key, `id` or `emailAddress` (VENDORS-RESEARCH 1.10); the translation is
`wire.where`. Everything else is matched locally (the mirror, else a scan).
"""

from __future__ import annotations

from crmtui.model.filter import FilterSupport

WHERE_KEYS = {"lead": ("id", "emailAddress"), "event": ("leadID", "eventSource")}


def support(entity: str) -> FilterSupport:
    """Exact matches on the entity's `where` keys (one at a time; events by lead and kind)."""
    keys = WHERE_KEYS.get(entity, ("id",))
    most = 2 if entity == "event" else 1
    return FilterSupport({k: frozenset({"eq"}) for k in keys}, max_conditions=most)
