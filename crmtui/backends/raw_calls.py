"""A raw call's answer as shown to the user: every part masked by the session's redactor."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from crmtui.model.raw import RawResponse

if TYPE_CHECKING:
    import httpx

    from crmtui.http.client import VendorHTTP


def raw_answer(
    http: VendorHTTP, response: httpx.Response, started: float, method: str, shown_body: str
) -> RawResponse:
    """A raw call's answer and the request as sent, every part masked by the session's redactor.

    `shown_body` is the request body as the user should see it (already JSON text, unmasked).
    """
    redact = http.redactor
    return RawResponse(
        status=response.status_code,
        elapsed=time.monotonic() - started,
        headers=redact.headers(response.headers),
        body=redact.text(response.text),
        shown_method=method,
        shown_url=redact.url(response.request.url),
        shown_headers=redact.headers(response.request.headers),
        shown_body=redact.text(shown_body),
    )
