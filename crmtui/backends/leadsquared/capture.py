"""LeadSquared opportunity captures and async request statuses on the wire.

The values themselves (`CaptureRequest`, `CaptureResult`, `JobStatus`) are shared data in
`crmtui.model.capture`; this module writes a capture's JSON body and reads a TaskStatus
(docs/vendors/leadsquared.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from crmtui.model.capture import CaptureRequest, CaptureResult, JobStatus, Outcome

__all__ = ["CaptureRequest", "CaptureResult", "JobStatus", "Outcome", "capture_body", "job_status"]


def capture_body(request: CaptureRequest) -> dict[str, Any]:
    """The JSON body, the same for the sync and the async API; ValidationFailed if unusable."""
    request.check()
    details = [{"Attribute": "EmailAddress", "Value": request.email.strip()}]
    details += [{"Attribute": k, "Value": v} for k, v in request.lead_fields.items()]
    details.append({"Attribute": "SearchBy", "Value": "EmailAddress"})
    opportunity: dict[str, Any] = {
        "OpportunityEventCode": request.event_code,
        "OpportunityNote": request.note,
    }
    if request.when is not None:
        opportunity["OpportunityDateTime"] = request.when.strftime("%Y-%m-%d %H:%M:%S")
    if request.fields:
        opportunity["Fields"] = [{"SchemaName": k, "Value": v} for k, v in request.fields.items()]
    return {"LeadDetails": details, "Opportunity": opportunity}


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
