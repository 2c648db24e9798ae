"""LeadSquared opportunity captures and async request statuses, as plain values (seed 003)."""

from __future__ import annotations

import datetime as dt
import json
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

    def body(self) -> dict[str, Any]:
        """The JSON body, the same for the sync and the async API; ValidationFailed if unusable."""
        errors: dict[str, str] = {}
        if "@" not in self.email.strip():
            errors["EmailAddress"] = "a lead's email address is required"
        if self.event_code <= 0:
            errors["OpportunityEventCode"] = "is required (a positive whole number)"
        if errors:
            raise ValidationFailed(errors)
        details = [{"Attribute": "EmailAddress", "Value": self.email.strip()}]
        details += [{"Attribute": k, "Value": v} for k, v in self.lead_fields.items()]
        details.append({"Attribute": "SearchBy", "Value": "EmailAddress"})
        opportunity: dict[str, Any] = {
            "OpportunityEventCode": self.event_code,
            "OpportunityNote": self.note,
        }
        if self.when is not None:
            opportunity["OpportunityDateTime"] = self.when.strftime("%Y-%m-%d %H:%M:%S")
        if self.fields:
            opportunity["Fields"] = [{"SchemaName": k, "Value": v} for k, v in self.fields.items()]
        return {"LeadDetails": details, "Opportunity": opportunity}


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


def job_status(task: Mapping[str, Any]) -> JobStatus:
    """A JobStatus from the status API's TaskStatus object.

    "MX" failures are final; any other failure is retried by the vendor, so it stays open.
    """
    status = str(task.get("Status") or "")
    reason = str(task.get("StatusReason") or "")
    message = _decode(task.get("Message"))
    body = str(task.get("RequestBody") or "")
    word = status.strip().lower()
    if word in ("", "in-queue", "inqueue", "in queue", "processing"):
        return JobStatus(status or "In-Queue", "pending", False, reason, message, body)
    if word == "success":
        return JobStatus(status, "succeeded", True, reason, message, body)
    mx = reason.startswith("MX") or '"MX' in str(task.get("Message") or "")
    return JobStatus(status, "failed", mx, reason, message, body)


def _decode(raw: Any) -> str:
    """The Message string (JSON inside a string) as a short readable text."""
    if raw is None:
        return ""
    text = str(raw)
    try:
        inner = json.loads(text)
    except ValueError:
        return text
    if isinstance(inner, dict):
        if inner.get("ExceptionType"):
            return f"{inner.get('ExceptionType')}: {inner.get('ExceptionMessage', '')}".strip()
        detail = inner.get("Message")
        if isinstance(detail, dict):
            return ", ".join(f"{k}={v}" for k, v in detail.items())
        return str(detail if detail is not None else inner.get("Status", text))
    return text
