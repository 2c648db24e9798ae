"""Queries: filters, a sort and a field selection, independent of any vendor's syntax."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crmtui.errors import UsageError

Op = Literal["eq", "contains", "gt", "lt"]


@dataclass(frozen=True)
class Filter:
    """One condition on a field."""

    field: str
    value: str
    op: Op = "eq"


@dataclass(frozen=True)
class Sort:
    """Order by one field."""

    field: str
    descending: bool = False

    @classmethod
    def parse(cls, text: str) -> Sort:
        """Read `FIELD` or `FIELD:asc` / `FIELD:desc`."""
        name, _, order = text.partition(":")
        order = order.strip().lower() or "asc"
        if not name.strip() or order not in {"asc", "desc"}:
            raise UsageError(f"sort must be FIELD, FIELD:asc or FIELD:desc, not {text!r}")
        return cls(name.strip(), order == "desc")


@dataclass(frozen=True)
class Query:
    """What to list: filters (all must hold), an optional sort, optional fields to return."""

    filters: tuple[Filter, ...] = ()
    sort: Sort | None = None
    fields: tuple[str, ...] | None = None
    text: str = ""  # free text for a vendor's quick search (only where the backend declares it)
