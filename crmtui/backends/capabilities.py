"""The extra views' seams: small protocols a vendor's backend implements, and their plain data.

The UI and the CLI never import a vendor's backend. They ask `views_of(backend)` which extra
views exist and talk to the backend through these protocols: add-or-update by a match key
(`Upserts`), a local history of calls a vendor cannot give back (`RecordsSent`), opportunity
captures (`Captures`) and async requests followed until done (`TracksJobs`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from crmtui.backends.base import Backend
from crmtui.backends.spec import View
from crmtui.model.fields import Capability, Choice, FieldSpec

if TYPE_CHECKING:  # their data loads with the views that use them
    from crmtui.model.capture import CaptureRequest, CaptureResult, JobStatus
    from crmtui.model.sent import SentRecord

SentObserver = Callable[["SentRecord"], None]


@dataclass(frozen=True)
class UpsertForm:
    """What an add-or-update form shows: the entity, its match key, fields, pickers."""

    entity: str
    key: str
    """The field that picks the record to update (e.g. an email address)."""
    fields: tuple[FieldSpec, ...]
    note: str = ""
    """Why this form exists (shown above it)."""
    pickers: Mapping[str, str] = field(default_factory=dict)
    """Fields whose values are picked from `upsert_choices()`, with their labels."""
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Short names the CLI accepts for fields (e.g. first_name for lead_first_name)."""

    def field_names(self) -> tuple[str, ...]:
        """Every field's name, in order."""
        return tuple(spec.name for spec in self.fields)


@runtime_checkable
class Upserts(Protocol):
    """Adds or updates a record by its match key (the only write some vendors allow)."""

    def upsert_form(self) -> UpsertForm:
        """The form's fields and pickers."""
        ...

    async def upsert_choices(self) -> list[Choice]:
        """The values the picker fields offer (value: id, label: the name a user picks by)."""
        ...


@runtime_checkable
class RecordsSent(Protocol):
    """Reports each write call it sends, for a vendor whose data cannot be read back."""

    def on_sent(self, observer: SentObserver) -> Callable[[], None]:
        """Tell `observer` about every write call from now on; returns a function to stop."""
        ...


@runtime_checkable
class Captures(Protocol):
    """Captures an opportunity from a lead, synchronously or through an async API."""

    def capture_async_default(self) -> bool:
        """Whether a capture goes through the async API unless told otherwise."""
        ...

    async def capture_opportunity(
        self, request: CaptureRequest, *, asynchronous: bool | None = None
    ) -> CaptureResult:
        """Send the capture; an async one gives a request id to follow as a job."""
        ...


@runtime_checkable
class TracksJobs(Protocol):
    """Tells the status of an async request it accepted earlier."""

    async def job_status(self, kind: str, request_id: str) -> JobStatus:
        """The vendor's current word on request `request_id` of `kind`."""
        ...


def views_of(backend: Backend) -> frozenset[View]:
    """The extra views `backend` really offers (each protocol it implements, and watch)."""
    found = set()
    if isinstance(backend, Upserts):
        found.add(View.UPSERT)
    if isinstance(backend, RecordsSent):
        found.add(View.SENT)
    if isinstance(backend, Captures):
        found.add(View.CAPTURE)
    if isinstance(backend, TracksJobs):
        found.add(View.JOBS)
    if backend.can(Capability.WATCH):
        found.add(View.WATCH)
    return frozenset(found)


def missing_view(backend: Backend, view: View) -> str:
    """Why `view` is not available on `backend`, in words (for CLI and UI errors)."""
    return f"{backend.label} has no {view.value} view"


__all__ = [
    "Captures",
    "RecordsSent",
    "SentObserver",
    "TracksJobs",
    "UpsertForm",
    "Upserts",
    "View",
    "missing_view",
    "views_of",
]
