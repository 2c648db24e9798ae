"""Raw calls for the console: a request in the vendor's own shape and the answer as received."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawRequest:
    """A call typed by the user. REST vendors use method/path/query/headers/body; SharpSpring puts
    its RPC method name in `method` and its params in `body`; InfluencerSoft sends `form`.
    `host` picks a vendor's second host where it has one (LeadSquared's "async")."""

    method: str
    path: str = ""
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    form: dict[str, str] = field(default_factory=dict)
    host: str = "default"


@dataclass
class RawResponse:
    """What came back, with the request as sent shown with its secrets masked."""

    status: int
    elapsed: float
    headers: dict[str, str]
    body: str
    shown_method: str
    shown_url: str
    shown_headers: dict[str, str] = field(default_factory=dict)
    shown_body: str = ""

    @property
    def size(self) -> int:
        """Body size in bytes."""
        return len(self.body.encode())

    @property
    def rate_headers(self) -> dict[str, str]:
        """The rate-limit headers, picked out."""
        return {
            k: v for k, v in self.headers.items() if "rate" in k.lower() or "retry" in k.lower()
        }
