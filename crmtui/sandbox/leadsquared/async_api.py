"""The LeadSquared async API's queue: accepted requests run later, their status read by id.

Choices where the public record is silent:
- A request is "In-Queue" until `delay` seconds (of the injected clock) after it was accepted;
  it is then run like its synchronous twin (Lead.Capture or OpportunityManagement.svc/Capture).
  Due requests run whenever the app serves any request, so a test drives them by moving the clock.
- Outcome: "Success" with Message = the synchronous answer, JSON-encoded in a string; an MX error
  gives "FAILURE" with Message = the MX error body as a JSON string — final. A transient (non-MX)
  failure gives "ERROR" with StatusReason saying the vendor retries; it is tried again `delay`
  seconds later, up to MAX_ATTEMPTS attempts. `Switches.async_transient_failures` makes the first
  N attempts of every request fail that way.
- RequestBody is the request's body as received (a string). Requests are kept in the store
  (entity "async_request"), so they survive a restart of the app.
- Status paths: GET {async}/lead/status?RequestId= and {async}/opportunity/status?RequestId=
  (the name in any case; either path finds any request); an unknown id is 404 with an
  MXInvalidEntityException body. TaskStatus carries TaskCurrentStep (null) and TaskLastStep
  ("In-Process-Queue" once run) as the apidocs sample does.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crmtui.sandbox.leadsquared import opportunities
from crmtui.sandbox.leadsquared.leads import LsqData, MxError, attributes
from crmtui.sandbox.leadsquared.seed import NS
from crmtui.sandbox.store import Store

ENTITY = "async_request"
MAX_ATTEMPTS = 10
TASK_TYPES = {"lead": "Lead Capture", "opportunity": "Opportunity Capture"}
ACCEPTED = "Request accepted. Please use below request id to check the status"


@dataclass
class Switches:
    """Live behaviour switches of one LeadSquared app (tests flip them while it runs)."""

    rate_limit_in_body: bool = False
    """Report the rate limit as HTTP 200 + MXAPIRateLimitExceededException instead of 429."""
    mx_status: int = 500
    """The HTTP status of MX error answers (documented 500; 200 has been seen)."""
    async_delay: float = 3.0
    """Seconds an async request waits in the queue (and between vendor retries)."""
    async_transient_failures: int = 0
    """The first N attempts of every async request fail with a non-MX error."""


class AsyncQueue:
    """Accepts async requests, runs them when due, and answers their status."""

    def __init__(
        self, store: Store, data: LsqData, clock: Callable[[], float], switches: Switches
    ) -> None:
        """Keep requests in `store`, run them against `data`."""
        self.store = store
        self.data = data
        self.clock = clock
        self.switches = switches

    def accept(self, kind: str, raw: bytes) -> dict[str, str]:
        """Queue a request (its body must at least be JSON); the acceptance answer."""
        try:
            json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise MxError("InvalidInput", "The request body is not valid JSON.", 400) from None
        rid = str(uuid.uuid4())
        now = self.clock()
        self.store.insert(
            NS,
            ENTITY,
            {
                "Kind": kind,
                "Body": raw.decode("utf-8"),
                "AcceptedAt": now,
                "DueAt": now + self.switches.async_delay,
                "Status": "In-Queue",
                "Reason": "",
                "Message": None,
                "Attempts": 0,
                "Open": "1",
            },
            rid,
        )
        return {"Status": ACCEPTED, "RequestID": rid}

    def run_due(self) -> None:
        """Run every queued request whose time has come."""
        now = self.clock()
        for rid, item in self.store.list(NS, ENTITY, offset=0, limit=1000, where={"Open": "1"}):
            if float(item["DueAt"]) <= now:
                self.store.update(NS, ENTITY, rid, self._run(item, now))

    def _run(self, item: dict[str, Any], now: float) -> dict[str, Any]:
        attempts = int(item["Attempts"]) + 1
        if attempts <= self.switches.async_transient_failures:
            last = attempts >= MAX_ATTEMPTS
            return {
                "Attempts": attempts,
                "Status": "ERROR",
                "Reason": "Gave up after 10 attempts"
                if last
                else f"Internal error on attempt {attempts}; the request will be retried",
                "DueAt": now + self.switches.async_delay,
                "Open": "0" if last else "1",
            }
        body = json.loads(item["Body"])
        try:
            if item["Kind"] == "lead":
                lead_id, created = self.data.capture(attributes(body))
                answer: dict[str, Any] = {
                    "Status": "Success",
                    "Message": {"Id": lead_id, "AffectedRows": 1, "IsCreated": created},
                }
            else:
                answer = opportunities.capture(self.data, body)
        except MxError as exc:
            return {
                "Attempts": attempts,
                "Status": "FAILURE",
                "Reason": exc.kind,
                "Message": json.dumps(exc.body()),
                "Open": "0",
            }
        return {
            "Attempts": attempts,
            "Status": "Success",
            "Reason": "",
            "Message": json.dumps(answer),
            "Open": "0",
        }

    def status(self, rid: str) -> dict[str, Any]:
        """The status answer of one request."""
        item = self.store.get(NS, ENTITY, rid.strip().lower())
        if item is None:
            raise MxError("InvalidEntity", "No request exists with this RequestId.", 404)
        return {
            "RequestId": rid,
            "TaskStatus": {
                "TaskType": TASK_TYPES.get(str(item["Kind"]), "Unknown"),
                "Status": item["Status"],
                "StatusReason": item["Reason"],
                "TaskCurrentStep": None,
                "TaskLastStep": "In-Process-Queue" if item["Status"] != "In-Queue" else None,
                "RequestBody": item["Body"],
                "Message": item["Message"],
            },
        }
