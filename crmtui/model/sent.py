"""One call crmtui sent to a vendor that cannot be read back, and the vendor's answer."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class SentRecord:
    """One call sent (secrets masked) and its answer, for a vendor's local send history.

    `code` is None when no answer arrived (the outcome is then unknown); `signed` says whether
    the answer's signature matched the profile's key (None when the answer was not signed).
    """

    method: str
    email: str
    sent: dict[str, str]
    code: int | None
    text: str
    ok: bool
    signed: bool | None = None
    at: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-friendly values."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SentRecord:
        """Back from `to_dict` (unknown keys ignored, wrong types coerced to text)."""
        sent = data.get("sent") if isinstance(data.get("sent"), dict) else {}
        code = data.get("code")
        signed = data.get("signed")
        return cls(
            method=str(data.get("method", "")),
            email=str(data.get("email", "")),
            sent={str(k): str(v) for k, v in (sent or {}).items()},
            code=code if isinstance(code, int) and not isinstance(code, bool) else None,
            text=str(data.get("text", "")),
            ok=data.get("ok") is True,
            signed=signed if isinstance(signed, bool) else None,
            at=float(data.get("at", 0.0) or 0.0),
        )
