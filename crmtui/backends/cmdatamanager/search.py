"""What CMDataManager's list call can do on the server: sort, and no filter at all.

Seed 004 documents `fields`, `per_page`, `page`, `sort_by` and `sort_order` on `GET /{entity}`
and no filter parameter, so every condition is matched locally (the mirror, else a scan).
"""

from __future__ import annotations

from crmtui.model.filter import FilterSupport


def support(entity: str) -> FilterSupport:
    """Nothing: the server filters no field."""
    return FilterSupport()
