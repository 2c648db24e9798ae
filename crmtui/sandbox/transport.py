"""An httpx transport that serves requests from an in-process ASGI app, like a real socket would."""

from __future__ import annotations

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _Dropped(Exception):
    """The app returned without finishing its response (a dropped connection)."""


class _InProcessTransport(httpx.ASGITransport):
    """ASGITransport where an unfinished response becomes httpx.RemoteProtocolError."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Serve one request; a dropped connection raises as it would over TCP."""
        try:
            return await super().handle_async_request(request)
        except _Dropped:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body", request=request
            ) from None


def _finishing(app: ASGIApp) -> ASGIApp:
    """Wrap `app` so that returning mid-response raises `_Dropped`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        done = False

        async def watch(message: Message) -> None:
            nonlocal done
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done = True
            await send(message)

        await app(scope, receive, watch)
        if scope["type"] == "http" and not done:
            raise _Dropped

    return wrapped


def in_process_transport(app: ASGIApp) -> httpx.AsyncBaseTransport:
    """A transport handing requests to `app` in process; use with httpx.AsyncClient(base_url=...).

    A fault that drops the connection mid-response raises httpx.RemoteProtocolError, as a real
    socket would; the emulators answer their own failures with 500 responses.
    """
    return _InProcessTransport(app=_finishing(app))
