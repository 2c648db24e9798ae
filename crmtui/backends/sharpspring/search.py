"""What SharpSpring's `where` filters on the server: one key, an exact match.

getLeads takes one key, `id` or `emailAddress` (VENDORS-RESEARCH 1.10); the translation is
`wire.where`. Everything else is matched locally (the mirror, else a scan).
"""

from __future__ import annotations

from crmtui.model.filter import FilterSupport

WHERE_KEYS = {"lead": ("id", "emailAddress")}


def support(entity: str) -> FilterSupport:
    """Exact matches on the entity's `where` keys, one at a time."""
    keys = WHERE_KEYS.get(entity, ("id",))
    return FilterSupport({k: frozenset({"eq"}) for k in keys}, max_conditions=1)
