"""How one API version of the emulated SharpSpring shows objects: its zone, wire order, `&lt;`."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from crmtui.sandbox.sharpspring import schema
from crmtui.sandbox.sharpspring.errors import bad_param
from crmtui.sandbox.sharpspring.schema import NS, OBJECTS, STAMP
from crmtui.sandbox.store import Store

UTC = dt.UTC

_LAYOUT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _layout(entity: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The standard fields of `entity` in wire order, and those of them that are timestamps."""
    names = tuple(OBJECTS.get(entity, {}))
    found = _LAYOUT[entity] = (names, tuple(n for n in names if n.endswith("Timestamp")))
    return found


class SsView:
    """The emulated company as one API version shows it: stamps in its zone, objects on the wire."""

    def __init__(self, store: Store, clock: Callable[[], float], version: str) -> None:
        """Serve the SharpSpring namespace of `store` as `version` ("v1" local zone, else UTC)."""
        self.store = store
        self.clock = clock
        self.zone: dt.tzinfo = ZoneInfo(schema.LOCAL_ZONE) if version == "v1" else UTC
        self.rng = random.Random()

    # -- wire format ----------------------------------------------------------------------------
    def now(self) -> str:
        """The clock's time as stored (UTC)."""
        return dt.datetime.fromtimestamp(self.clock(), UTC).strftime(STAMP)

    def shown(self, stamp: str | None) -> str | None:
        """A stored UTC stamp in this version's zone."""
        if not stamp or self.zone is UTC:
            return stamp
        moment = dt.datetime.strptime(stamp, STAMP).replace(tzinfo=UTC)
        return moment.astimezone(self.zone).strftime(STAMP)

    def read_stamp(self, name: str, text: Any) -> str:
        """A date-range bound in this version's zone, as a stored UTC stamp; 205 when invalid."""
        if not isinstance(text, str):
            raise bad_param(name, "Expected a date (YYYY-MM-DD HH:MM:SS)", "datetime")
        try:
            moment = dt.datetime.strptime(text.strip(), STAMP)
        except ValueError:
            try:
                moment = dt.datetime.strptime(text.strip(), "%Y-%m-%d")
            except ValueError:
                raise bad_param(name, "Expected YYYY-MM-DD HH:MM:SS", "datetime") from None
        return moment.replace(tzinfo=self.zone).astimezone(UTC).strftime(STAMP)

    def custom_names(self, entity: str) -> list[str]:
        """System names of the entity's custom fields."""
        rows = self.store.list(NS, "field", offset=0, limit=1000,
                               where={"relationship": entity, "isCustom": "1"})  # fmt: skip
        return [str(data["systemName"]) for _, data in rows]

    def wire(
        self, entity: str, data: dict[str, Any], custom: list[str], only: list[str] | None = None
    ) -> dict[str, Any]:
        """One object as the API shows it: strings, nulls for empty standard fields."""
        names, stamps = _LAYOUT.get(entity) or _layout(entity)
        out: dict[str, Any] = {name: data.get(name) for name in names}
        if self.zone is not UTC:
            for name in stamps:
                out[name] = self.shown(out[name])
        for name in custom:
            value = data.get(name)
            out[name] = "" if value is None else value
        if entity == "field":
            out = {k: v for k, v in data.items() if not k.startswith("_")}
        if only is not None:
            out = {k: v for k, v in out.items() if k in only or k == "id"}
        for key, value in out.items():
            if isinstance(value, str) and "<" in value:
                out[key] = api_text(value)
        if entity == "opportunity" and len(out.get("closeDate") or "") == 10:
            out["closeDate"] += " 00:00:00"  # a date, shown as a timestamp (SS-EX 21761198173)
        return out


def api_text(value: str) -> str:
    """A stored value as the API reads it back: `<` as `&lt;` unless it ends the value.

    rmuit `encoding.md`: values written through the API come back raw except for this.
    """
    head = value.rstrip()
    if "<" not in head[:-1]:
        return value
    return head[:-1].replace("<", "&lt;") + value[len(head) - 1 :]
