"""An opportunity capture from a lead, its result, and an async request's status: plain values.

Vendors with the capture and jobs capabilities (see `crmtui.backends.capabilities`) take and give
these; each turns them into its own wire format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from crmtui.errors import ValidationFailed

Outcome = Literal["pending", "succeeded", "failed"]


@dataclass(frozen=True)
class CaptureRequest:
    """An opportunity capture from a lead: event code, note, date, fields by schema name."""

    email: str
    event_code: int
    note: str = ""
    when: dt.datetime | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    """Opportunity fields by schema name (mx_...)."""
    lead_fields: Mapping[str, str] = field(default_factory=dict)
    """Extra lead details (unique fields only, per the seed)."""

    def params(self) -> dict[str, Any]:
        """The capture as plain action parameters (for the journal and `run_action`)."""
        return {
            "event_code": self.event_code,
            "note": self.note,
            "when": self.when.strftime("%Y-%m-%d %H:%M:%S") if self.when else "",
            "fields": dict(self.fields),
            "lead_fields": dict(self.lead_fields),
        }

    @classmethod
    def from_params(cls, email: str, params: Mapping[str, Any]) -> CaptureRequest:
        """A capture from action parameters; ValidationFailed naming what is wrong."""
        try:
            code = int(str(params.get("event_code", "")).strip())
        except ValueError:
            raise ValidationFailed({"event_code": "is required (a whole number)"}) from None
        when_text = str(params.get("when") or "").strip()
        try:
            when = dt.datetime.fromisoformat(when_text) if when_text else None
        except ValueError:
            raise ValidationFailed({"when": "expected YYYY-MM-DD HH:MM:SS"}) from None
        return cls(
            email=email,
            event_code=code,
            note=str(params.get("note") or ""),
            when=when,
            fields={str(k): str(v) for k, v in dict(params.get("fields") or {}).items()},
            lead_fields={str(k): str(v) for k, v in dict(params.get("lead_fields") or {}).items()},
        )

    def check(self) -> None:
        """ValidationFailed naming what makes the capture unsendable (email, event code)."""
        errors: dict[str, str] = {}
        if "@" not in self.email.strip():
            errors["EmailAddress"] = "a lead's email address is required"
        if self.event_code <= 0:
            errors["OpportunityEventCode"] = "is required (a positive whole number)"
        if errors:
            raise ValidationFailed(errors)


@dataclass(frozen=True)
class CaptureResult:
    """What a capture gave: a RequestID to follow (async) or the new opportunity (sync)."""

    asynchronous: bool
    body: dict[str, Any]
    """The request body that was sent (no secrets: keys travel in the URL and headers)."""
    request_id: str | None = None
    opportunity_id: str | None = None
    lead_id: str | None = None
    message: str = ""


@dataclass(frozen=True)
class JobStatus:
    """One async request's status as the vendor reports it, read for the jobs file."""

    vendor_status: str
    """In-Queue, Success, FAILURE or ERROR (as sent)."""
    outcome: Outcome
    final: bool
    """False while the request is queued, or failed with a non-MX error that the vendor retries."""
    reason: str = ""
    message: str = ""
    """The vendor's message: the JSON-encoded answer, decoded and summarised."""
    request_body: str = ""
