"""What SharpSpring's `where` can filter (one key, exact), and the translation to it."""

from __future__ import annotations

from crmtui.errors import UsageError
from crmtui.model import Query
from crmtui.model.filter import FilterSupport

# getLeads takes one key, id or emailAddress (VENDORS-RESEARCH 1.10); the other get-many
# methods take the keys their public examples show.
WHERE_KEYS = {
    "lead": ("id", "emailAddress"),
    "account": ("id", "ownerID"),
    "campaign": ("id", "ownerID"),
    "opportunity": ("id", "ownerID", "dealStageID", "accountID", "campaignID"),
}


def support(entity: str) -> FilterSupport:
    """Exact matches on the entity's `where` keys, one at a time."""
    keys = WHERE_KEYS.get(entity, ("id",))
    return FilterSupport({k: frozenset({"eq"}) for k in keys}, max_conditions=1)


def where(entity: str, query: Query) -> dict[str, str]:
    """Query filters as `where`; anything the server cannot do is a UsageError."""
    allowed = WHERE_KEYS.get(entity, ("id",))
    found: dict[str, str] = {}
    for f in query.filters:
        if f.field not in allowed or f.op != "eq":
            raise UsageError(
                f"SharpSpring can search {entity} only by {' or '.join(allowed)} (exact match)"
            )
        found[f.field] = f.value.strip()
    if len(found) > 1:
        raise UsageError("SharpSpring searches by one field at a time")
    if query.text:
        raise UsageError("SharpSpring has no free-text search")
    return found
