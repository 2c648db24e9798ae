"""Injectable faults for the emulators: latency, HTML 500s, dropped connections, broken JSON.

`FaultMiddleware` wraps one vendor app and reads the live `Faults` from the app's state on every
request, so a test may flip a fault on a running server. How each fault behaves:

- latency: the request waits `latency` seconds before anything else happens.
- error_rate: the request is answered 500 with an HTML page *without being processed*
  (a proxy or load balancer failing in front of the vendor).
- drop_rate: the request *is processed* (a create really creates), then the response head and
  half its body are sent and the connection is dropped; clients see a protocol error, so the
  outcome of a write is unknown to them.
- invalid_json_rate: the request is processed and answered with its status and headers, but the
  body is truncated JSON.
- rate_limit_exhausted and token_ttl are vendor matters: each emulator reads them itself.
  token_ttl = X makes tokens stop working X seconds after issue while it is set; setting it to 0
  (or calling `expire_tokens()`, or posting {"expire_tokens": true} to the admin endpoint) also
  expires every token issued so far for good, even once the fault is switched off again.
- The fault layer's own 500 page carries none of the vendor's headers (a proxy failing).

Draws come from `random.Random(seed)`, so a run with the same seed and the same request sequence
hits the same faults. Checks are made in the order latency, error, drop, invalid JSON.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field, fields
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n"
    b"<body><h1>Internal Server Error</h1>\n"
    b"<p>The server encountered an unexpected condition.</p></body></html>\n"
)


@dataclass
class Faults:
    """The faults an emulator injects; all off by default, mutable while it runs."""

    latency: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    invalid_json_rate: float = 0.0
    rate_limit_exhausted: bool = False
    token_ttl: float | None = None
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Start the random draws from `seed`."""
        self._rng = random.Random(self.seed)

    def __setattr__(self, name: str, value: Any) -> None:
        """Set a fault; token_ttl = 0 also expires every token issued so far."""
        object.__setattr__(self, name, value)
        if name == "token_ttl" and value == 0:
            self.expire_tokens()

    @property
    def token_generation(self) -> int:
        """Bumped by `expire_tokens()`; tokens issued in an earlier generation are expired."""
        return int(self.__dict__.get("_generation", 0))

    def expire_tokens(self) -> None:
        """Expire every token issued so far (new ones work as usual)."""
        object.__setattr__(self, "_generation", self.token_generation + 1)

    def hit(self, rate: float) -> bool:
        """Draw whether a fault with this rate happens now (no draw when the rate is 0)."""
        return rate > 0 and self._rng.random() < rate

    def as_dict(self) -> dict[str, Any]:
        """The public settings as plain JSON-friendly values."""
        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}

    def apply(self, changes: dict[str, Any]) -> None:
        """Change some settings (by name); unknown names or wrong types raise ValueError."""
        known = {f.name for f in fields(self) if not f.name.startswith("_")}
        for name, value in changes.items():
            if name == "expire_tokens":
                if value is True:
                    self.expire_tokens()
                continue
            if name not in known:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(known))}")
            if name == "rate_limit_exhausted":
                if not isinstance(value, bool):
                    raise ValueError("rate_limit_exhausted must be true or false")
            elif name == "seed":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise ValueError("seed must be an integer")
            elif value is not None or name != "token_ttl":
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    raise ValueError(f"{name} must be a number >= 0")
                if name.endswith("_rate") and value > 1:
                    raise ValueError(f"{name} must be between 0 and 1")
                value = float(value)
            setattr(self, name, value)
        if "seed" in changes:
            self._rng = random.Random(self.seed)


def current_faults(scope: Scope) -> Faults | None:
    """The live Faults of the app serving this request (None when it has none)."""
    app = scope.get("app")
    state = getattr(app, "state", None)
    found = getattr(state, "faults", None)
    return found if isinstance(found, Faults) else None


class FaultMiddleware:
    """Pure ASGI middleware applying the transport-level faults of the serving app."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap `app`."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request, injecting whatever faults are switched on."""
        faults = current_faults(scope)
        if scope["type"] != "http" or faults is None:
            await self.app(scope, receive, send)
            return
        if faults.latency > 0:
            await asyncio.sleep(faults.latency)
        if faults.hit(faults.error_rate):
            await _send_error_page(send)
            return
        drop = faults.hit(faults.drop_rate)
        garble = not drop and faults.hit(faults.invalid_json_rate)
        if not (drop or garble):
            await self.app(scope, receive, send)
            return
        start, body = await _capture(self.app, scope, receive)
        if drop:
            # Head and half the body, then return without finishing: servers close the socket.
            await send(start)
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            return
        broken = body[: max(len(body) // 2, 1)] if body else b"{"
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(broken)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": broken})


async def _send_error_page(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(ERROR_PAGE)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": ERROR_PAGE})


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    """Run the app to completion, keeping its response instead of sending it."""
    start: Message = {}
    parts: list[bytes] = []

    async def keep(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    await app(scope, receive, keep)
    return start, b"".join(parts)
