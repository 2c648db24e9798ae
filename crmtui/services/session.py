"""A session: one profile's backend on its own HTTP layer, as the CLI and the UI both use it."""

from __future__ import annotations

import asyncio
import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from crmtui import __version__
from crmtui.backends.base import Backend
from crmtui.backends.capabilities import RecordsSent, views_of
from crmtui.backends.registry import backend_class
from crmtui.backends.spec import View
from crmtui.backends.tokens import KeepsToken, TokenFile, token_file_name
from crmtui.http.client import VendorHTTP
from crmtui.http.redact import Redactor, install_log_filter
from crmtui.http.window import window_file_name
from crmtui.profiles import locations
from crmtui.profiles.secrets import resolve_profile
from crmtui.services.sent import SentHistory

if TYPE_CHECKING:
    import ssl

    from crmtui.http.log import RequestLog
    from crmtui.http.pacing import BudgetSnapshot
    from crmtui.profiles.model import ProfileBase


@dataclass
class Session:
    """An open profile: its settings and its backend (which owns the HTTP client).

    `sent` is the local history of what was sent, kept for a backend that reports its write
    calls (`RecordsSent`: a vendor whose data cannot be read back); None otherwise.
    """

    profile: ProfileBase
    backend: Backend
    sent: SentHistory | None = None

    def __post_init__(self) -> None:
        if self.sent is None and isinstance(self.backend, RecordsSent):
            self.sent = SentHistory.for_profile(self.profile.name)
            self.backend.on_sent(self.sent.add)

    def views(self) -> frozenset[View]:
        """The extra views this session's vendor offers (upsert, sent, jobs, capture, watch)."""
        return views_of(self.backend)

    @property
    def log(self) -> RequestLog:
        """Every request this session made, redacted."""
        return self.backend.http.log

    @property
    def redactor(self) -> Redactor:
        """Masks this session's secrets in any text."""
        return self.backend.http.redactor

    def budget(self) -> BudgetSnapshot:
        """The rate budget, for the status bar."""
        return self.backend.http.budget()

    async def aclose(self) -> None:
        """Close the HTTP client (and the mirror, if one is open)."""
        from crmtui.services import opening

        opening.stop(self.backend)
        if "crmtui.services.mirror_sync" in sys.modules:  # else no mirror was opened
            from crmtui.services.mirror_sync import close_mirror

            close_mirror(self)
        await self.backend.aclose()


_tls: Future[ssl.SSLContext] | None = None


def warm_tls() -> None:
    """Start building the TLS context (httpx's default: certifi's CA bundle, or SSL_CERT_FILE /
    SSL_CERT_DIR) in a thread, for the first session to use.

    Loading the CA bundle takes tens of milliseconds: `crmtui -p` calls this before importing
    the UI, so the load overlaps it instead of delaying the first request.
    """
    global _tls
    if _tls is not None:
        return
    future: Future[ssl.SSLContext] = Future()

    def build() -> None:
        try:
            future.set_result(httpx.create_ssl_context())
        except BaseException as exc:  # raised where the context is used, as httpx would
            future.set_exception(exc)

    _tls = future
    # not a daemon: an exit waits for it (a tenth of a second at most) rather than tearing the
    # interpreter down under a thread still inside OpenSSL (the same thread started by the CLI
    # commands crashed 2 exits in 30 that way)
    threading.Thread(target=build, name="crmtui-tls").start()


def uses_tls(profile: ProfileBase) -> bool:
    """Whether the profile's API is reached over https (plain http is loopback only)."""
    return urlsplit(profile.base_url).scheme != "http"


def _verify(profile: ProfileBase) -> ssl.SSLContext | bool:
    """The context `warm_tls` built (waiting for it), else True: httpx builds its own.

    A plain-http profile (a sandbox on loopback) gets a context that trusts no certificate
    instead: no CA bundle to load (a tenth of a second of CPU), and a request that went to an
    https URL all the same would fail its check, never go unchecked.
    """
    if not uses_tls(profile):
        import ssl

        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, and trusts nothing
    return True if _tls is None else _tls.result()


def _pace_file(profile_name: str) -> Path | None:
    """The file every process of this profile paces its requests through (None: no data dir,
    pacing then holds within this process only)."""
    try:
        return locations.state_path(window_file_name(profile_name))
    except OSError:
        return None


def _offer_kept_token(backend: Backend, profile_name: str) -> None:
    """Let a backend that signs in for a token reuse the one an earlier run kept."""
    if isinstance(backend, KeepsToken):
        try:
            path = locations.state_path(token_file_name(profile_name))
        except OSError:  # no data dir: sign in on every run
            return
        backend.keep_token(TokenFile(path))


async def open_session(
    profile: ProfileBase, *, transport: httpx.AsyncBaseTransport | None = None
) -> Session:
    """Resolve the profile's secrets, build its HTTP layer and its backend.

    `transport` replaces the network, e.g. with an in-process sandbox for the demo and tests.
    """
    cls = backend_class(profile.vendor)
    # Secret references may run a command or ask a keyring: keep the event loop free.
    secrets = await asyncio.to_thread(resolve_profile, profile)
    redactor = Redactor(secrets.values())
    install_log_filter(redactor)
    client = httpx.AsyncClient(
        transport=transport,
        verify=_verify(profile) if transport is None else True,
        timeout=profile.timeout,
        headers={"User-Agent": f"crmtui/{__version__}"},
        follow_redirects=False,
    )
    http = VendorHTTP(
        client,
        vendor=profile.vendor,
        limits=cls.http_limits(profile),
        redactor=redactor,
        timeout=profile.timeout,
        pace_file=_pace_file(profile.name),
    )
    backend = cls(profile, secrets, http)
    if transport is None:  # a real vendor: its token may outlive this run (not an emulator's)
        _offer_kept_token(backend, profile.name)
    session = Session(profile, backend)
    if getattr(profile, "mirror", False):
        from crmtui.services.mirror_sync import mirror_for

        mirror_for(session)  # opened now, so every write of this session reaches it
    return session
