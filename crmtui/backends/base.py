"""The backend contract every vendor implements, and the typed errors it raises."""

from __future__ import annotations

import asyncio
import datetime as dt
import weakref
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from crmtui.backends.raw_calls import raw_answer
from crmtui.backends.related import Related, by_reference, points_at
from crmtui.errors import (
    AuthError,
    CrmError,
    NotFound,
    ObjectResult,
    PartialFailure,
    RateLimited,
    TransportError,
    UnknownOutcome,
    UsageError,
    ValidationFailed,
    VendorError,
)
from crmtui.model import (
    ActionSpec,
    Capability,
    Change,
    EntitySpec,
    FieldSpec,
    Page,
    Query,
    Record,
    Validator,
)
from crmtui.model.filter import FilterSupport
from crmtui.model.raw import RawRequest, RawResponse

if TYPE_CHECKING:
    from crmtui.backends.spec import VendorSpec
    from crmtui.http.client import VendorHTTP
    from crmtui.http.pacing import Limits
    from crmtui.model.profile import ProfileBase

__all__ = [
    "AuthError",
    "Backend",
    "CrmError",
    "NotFound",
    "ObjectResult",
    "PartialFailure",
    "RateLimited",
    "Related",
    "TransportError",
    "UnknownOutcome",
    "UsageError",
    "ValidationFailed",
    "VendorError",
    "points_at",
    "raw_answer",
]


class Backend(ABC):
    """One vendor's API behind a common shape.

    A backend is built from a profile's settings, its resolved secrets and the shared HTTP layer;
    it never knows about the UI. Offsets address pages, so callers may fetch pages in any order or
    concurrently (the HTTP layer keeps the pace).

    A vendor's backend sets `spec` (its `VendorSpec`); `vendor`, `label`, `capabilities` and
    `raw_hosts` then follow from it unless the class sets them itself. Each vendor narrows
    `settings` to its own profile class.
    """

    spec: ClassVar[VendorSpec | None] = None
    vendor: ClassVar[str]
    label: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]]
    max_page_size: ClassVar[int] = 100
    raw_hosts: ClassVar[tuple[str, ...]] = ("default",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        spec = cls.__dict__.get("spec")
        if spec is None:
            return
        derived = {
            "vendor": spec.name,
            "label": spec.label,
            "capabilities": spec.capabilities,
            "raw_hosts": spec.console.hosts,
        }
        for name, value in derived.items():
            if name not in cls.__dict__:
                setattr(cls, name, value)

    def __init__(self, settings: ProfileBase, secrets: Mapping[str, str], http: VendorHTTP) -> None:
        self.settings = settings
        self.secrets = dict(secrets)
        self.http = http
        self._fields: dict[str, list[FieldSpec]] = {}
        self._validators: dict[str, Validator] = {}
        self.reference_choices = True
        """Whether reference fields come with the names of the records they point at as
        choices, where those take calls of their own (off: ids only, e.g. for a copy that
        keeps ids and no choices)."""

    def _credential(self, key: str) -> str:
        """The profile's secret `key` (from its secret store, else the profile file itself)."""
        value = self.secrets.get(key)
        if value is None:
            value = getattr(self.settings, key, None)
        if not isinstance(value, str) or not value:
            unresolved = value is not None and value != ""  # a reference, not a value
            why = " (its secret reference was never resolved)" if unresolved else ""
            raise AuthError(f"profile {self.settings.name!r} has no {key}{why}")
        return value

    @classmethod
    def http_limits(cls, settings: ProfileBase) -> Limits:
        """The vendor's pace and quota (its spec's `limits`), for the HTTP layer."""
        from crmtui.http.pacing import Limits

        if cls.spec is None:
            return Limits()
        limits = cls.spec.limits
        return Limits(window=limits.window, quota=limits.quota, quota_period=limits.quota_period)

    def can(self, capability: Capability) -> bool:
        """Whether the backend as a whole supports `capability`."""
        return capability in self.capabilities

    # -- metadata -------------------------------------------------------------------------------
    @abstractmethod
    async def entities(self) -> list[EntitySpec]:
        """The entities this vendor offers."""

    async def entity(self, name: str) -> EntitySpec:
        """One entity by name, or UsageError listing the valid names."""
        specs = await self.entities()
        for spec in specs:
            if spec.name == name:
                return spec
        names = ", ".join(s.name for s in specs)
        raise UsageError(f"unknown entity {name!r}; {self.label} has: {names}")

    async def fields(self, entity: str) -> list[FieldSpec]:
        """The fields of `entity`, loaded once and cached (callers that ask while they are
        being loaded wait for that load instead of starting another)."""
        found = self._fields.get(entity)
        if found is not None:
            return found
        # One lock per event loop (a lock belongs to the loop it first waited in); a loop
        # that is gone takes its locks with it, so a new loop never meets a dead one's lock.
        by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]]
        by_loop = self.__dict__.setdefault("_field_locks", weakref.WeakKeyDictionary())
        locks = by_loop.setdefault(asyncio.get_running_loop(), {})
        async with locks.setdefault(entity, asyncio.Lock()):
            if entity not in self._fields:
                await self.entity(entity)
                self._fields[entity] = await self.load_fields(entity)
        return self._fields[entity]

    def has_fields(self, entity: str) -> bool:
        """Whether the fields of `entity` are loaded (asking for them costs no request)."""
        return entity in self._fields

    @abstractmethod
    async def load_fields(self, entity: str) -> list[FieldSpec]:
        """Fetch (or describe) the fields of `entity`."""

    async def validator(self, entity: str) -> Validator:
        """A validator built from the fields of `entity`."""
        if entity not in self._validators:
            self._validators[entity] = Validator(await self.fields(entity))
        return self._validators[entity]

    async def actions(self, entity: str) -> list[ActionSpec]:
        """Record actions beyond CRUD for `entity` (none by default)."""
        return []

    # -- records --------------------------------------------------------------------------------
    @abstractmethod
    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        """Records from `offset`, at most `limit` (capped at `max_page_size`)."""

    def filter_support(self, entity: str) -> FilterSupport:
        """Which conditions the server applies for `entity` (none by default); `list_page`
        translates those in `Query.filters` (and `Query.text` where `free_text`) to the wire."""
        return FilterSupport()

    @abstractmethod
    async def get(self, entity: str, record_id: str) -> Record:
        """One record, or NotFound."""

    async def create(self, entity: str, values: Mapping[str, Any]) -> Record:
        """Validate and create a record; returns it as the vendor now holds it."""
        raise UsageError(f"{self.label} cannot create {entity} records")

    async def update(self, entity: str, record_id: str, changes: Sequence[Change]) -> Record:
        """Send only the changed fields; returns the record as the vendor now holds it."""
        raise UsageError(f"{self.label} cannot update {entity} records")

    async def delete(self, entity: str, record_id: str) -> None:
        """Delete a record."""
        raise UsageError(f"{self.label} cannot delete {entity} records")

    async def run_action(
        self, entity: str, record_id: str, action: str, params: Mapping[str, Any]
    ) -> str:
        """Run a record action; returns the vendor's message."""
        raise UsageError(f"{self.label} has no action {action!r} on {entity}")

    async def changed_since(self, entity: str, since: dt.datetime) -> list[Record]:
        """Records of `entity` created or updated since `since` (aware, UTC), newest first.

        Backs the live Watch view; vendors with the WATCH capability implement it.
        """
        raise UsageError(f"{self.label} cannot watch {entity} for changes")

    async def related(self, entity: str, record_id: str) -> list[Related]:
        """Records tied to one record, by kind (its recent activity, its lists).

        Shown under the record's detail; a vendor offers what its API can read back. By default,
        the records of other entities whose reference fields point at this one
        (`related_by_reference`).
        """
        return await self.related_by_reference(entity, record_id)

    async def related_by_reference(
        self, entity: str, record_id: str, *, shown: int = 20, scan: int = 2000
    ) -> list[Related]:
        """Records whose reference field points at `entity` `record_id`, one group per field.

        A field points here when it declares `reference=entity`, or (undeclared) when its label
        reads "<entity> id". Found by a server filter where the vendor offers one, else by
        reading at most `scan` records of the entity; entities that cannot be listed are skipped.
        """
        return await by_reference(self, entity, record_id, shown=shown, scan=scan)

    async def raw(self, request: RawRequest) -> RawResponse:
        """Send a raw call with the credentials added; the answer is returned, not interpreted."""
        raise UsageError(f"{self.label} does not support raw calls")

    def is_write(self, request: RawRequest) -> bool:
        """Whether a raw call would change data (the write policy asks only about writes)."""
        return request.method.upper() in {"POST", "PUT", "PATCH", "DELETE"}

    async def aclose(self) -> None:
        """Release the HTTP client."""
        await self.http.aclose()
