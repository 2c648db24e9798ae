"""LeadSquared's record actions: opportunity capture (sync or async), visitor convert, jobs."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from typing import Any

from crmtui.backends.base import Backend
from crmtui.backends.leadsquared.capture import (
    CaptureRequest,
    CaptureResult,
    JobStatus,
    capture_body,
    job_status,
)
from crmtui.backends.leadsquared.fields import LEAD, attribute_list
from crmtui.backends.leadsquared.opportunities import CONVERT
from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.errors import TransportError, UsageError, ValidationFailed, VendorError
from crmtui.http.retry import OpKind
from crmtui.model import ActionSpec, FieldSpec, FieldType, Record


class LeadSquaredActions(Backend):
    """The actions half of the LeadSquared backend (the calls themselves live in `_call`)."""

    settings: LeadSquaredProfile

    @abstractmethod
    async def _call(
        self, method: str, path: str, *, op: OpKind, what: str = "", **kwargs: Any
    ) -> Any:
        """Send one call; typed errors for MX answers."""

    # -- opportunity capture --------------------------------------------------------------------
    async def actions(self, entity: str) -> list[ActionSpec]:
        """Opportunity capture from a lead; converting a website visitor into a lead."""
        if entity != "lead":
            return []
        params = (
            FieldSpec("event_code", "Event code", FieldType.INTEGER, required=True),
            FieldSpec("note", "Note", FieldType.TEXT),
            FieldSpec("when", "Date and time", FieldType.DATETIME),
        )
        return [ActionSpec("capture", "Capture an opportunity", params), CONVERT]

    async def convert(self, visitor_id: str, values: Mapping[str, Any]) -> Record:
        """Lead.Convert: the tracked website visitor `visitor_id` becomes a lead with `values`."""
        typed = (await self.validator("lead")).validate(values)
        if not typed.get("EmailAddress"):
            raise ValidationFailed({"EmailAddress": "is required to convert a visitor"})
        await self._call(
            "POST",
            "LeadManagement.svc/Lead.Convert",
            op=OpKind.IDEMPOTENT,
            params={"leadId": visitor_id},
            body=attribute_list({k: v for k, v in typed.items() if v is not None}),
            what=f"visitor {visitor_id}",
        )
        return await self.get("lead", visitor_id)

    async def run_action(
        self, entity: str, record_id: str, action: str, params: Mapping[str, Any]
    ) -> str:
        """Capture an opportunity for the lead (by email, or by id); synchronously, so the
        outbox's retry of a journaled capture ends with a definite answer."""
        if entity == "lead" and action == "convert":
            lead = await self.convert(record_id, params)
            return f"converted visitor {record_id} into lead {lead.title(LEAD)}"
        if entity != "lead" or action != "capture":
            raise UsageError(f"{self.label} has no action {action!r} on {entity}")
        email = record_id
        if "@" not in email:
            email = str((await self.get("lead", record_id)).values.get("EmailAddress") or "")
        request = CaptureRequest.from_params(email, params)
        result = await self.capture_opportunity(request, asynchronous=False)
        return f"captured opportunity {result.opportunity_id or ''}".strip()

    def capture_async_default(self) -> bool:
        """The profile's `async_captures`."""
        return self.settings.async_captures

    async def capture_opportunity(
        self, request: CaptureRequest, *, asynchronous: bool | None = None
    ) -> CaptureResult:
        """Capture an opportunity (and create or update its lead); async as the profile says.

        Never resent once it may have reached LeadSquared (OpKind.CREATE).
        """
        use_async = self.settings.async_captures if asynchronous is None else asynchronous
        body = capture_body(request)
        if use_async:
            answer = await self._call(
                "POST", "opportunity/capture", op=OpKind.CREATE, body=body, host="async"
            )
            request_id = answer.get("RequestID") or answer.get("RequestId")
            if not request_id:
                raise VendorError("LeadSquared accepted the capture but sent no RequestID")
            status = str(answer.get("Status") or "accepted")
            return CaptureResult(True, body, request_id=str(request_id), message=status)
        answer = await self._call(
            "POST", "OpportunityManagement.svc/Capture", op=OpKind.CREATE, body=body
        )
        answer = answer if isinstance(answer, dict) else {}
        detail = answer.get("Message")
        detail = detail if isinstance(detail, dict) else {}
        oid = answer.get("CreatedOpportunityId") or detail.get("Id")
        lead_id = answer.get("RelatedProspectId") or detail.get("RelatedProspectId")
        return CaptureResult(
            False,
            body,
            opportunity_id=str(oid or "") or None,
            lead_id=str(lead_id or "") or None,
            message=str(answer.get("Status") or "Success"),
        )

    async def job_status(self, kind: str, request_id: str) -> JobStatus:
        """The status of one async request (`kind` "opportunity" or "lead")."""
        body = await self._call(
            "GET",
            f"{kind}/status",
            op=OpKind.READ,
            params={"requestId": request_id},
            host="async",
            what=f"async request {request_id}",
        )
        task = body.get("TaskStatus") if isinstance(body, dict) else None
        if not isinstance(task, dict):
            raise TransportError("LeadSquared sent a request status in an unexpected shape")
        return job_status(task)
