"""The toy vendor's backend: widgets held in memory, no network."""

from __future__ import annotations

from collections.abc import Mapping

from crmtui.backends.base import Backend, NotFound
from crmtui.http.client import VendorHTTP
from crmtui.model import Capability, EntitySpec, FieldSpec, Page, Query, Record

from .profile import ToyProfile
from .spec import SPEC

WIDGET = EntitySpec(
    "widget",
    "Widgets",
    frozenset({Capability.LIST, Capability.GET, Capability.TOTAL}),
    title_fields=("name",),
)


class ToyBackend(Backend):
    """Lists the profile's widgets."""

    spec = SPEC
    settings: ToyProfile

    def __init__(self, settings: ToyProfile, secrets: Mapping[str, str], http: VendorHTTP) -> None:
        super().__init__(settings, secrets, http)
        self.widgets = [
            Record("widget", str(i), {"id": str(i), "name": f"Toy widget {i}"})
            for i in range(1, settings.widgets + 1)
        ]

    async def entities(self) -> list[EntitySpec]:
        """Widgets only."""
        return [WIDGET]

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        """An id and a name."""
        return [FieldSpec("id", "Id", read_only=True), FieldSpec("name", "Name")]

    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        """A slice of the widgets."""
        chunk = self.widgets[offset : offset + limit]
        end = offset + len(chunk)
        return Page(chunk, offset, end if end < len(self.widgets) else None, len(self.widgets))

    async def get(self, entity: str, record_id: str) -> Record:
        """One widget by id."""
        for widget in self.widgets:
            if widget.id == record_id:
                return widget
        raise NotFound(f"no widget {record_id!r}")
