"""Per-vendor setup for chaos runs: a sandbox app on canary secrets and a session on it."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from crmtui.profiles.model import Config
from crmtui.sandbox import vendors
from crmtui.sandbox.chaos import VirtualTime
from crmtui.sandbox.faults import Faults
from crmtui.sandbox.store import Store
from crmtui.services.session import Session, open_session


@dataclass(frozen=True)
class Case:
    """What a chaos run needs to know about one vendor's leads."""

    vendor: str
    email: str  # the email field (backend name = the store's key)
    edit_fields: tuple[str, ...]  # text fields edited by the run and changed "remotely"
    secret_keys: tuple[str, ...]  # profile keys holding secrets
    updates: bool = True  # False: edits are upserts by email (InfluencerSoft)
    batch: bool = False  # batch updates with per-object results (SharpSpring)


CASES: dict[str, Case] = {
    "cmdatamanager": Case(
        "cmdatamanager", "Email", ("FirstName", "LastName", "City"), ("client_secret", "password")
    ),
    "sharpspring": Case(
        "sharpspring",
        "emailAddress",
        ("firstName", "lastName", "city"),
        ("secret_key",),
        batch=True,
    ),
    "leadsquared": Case(
        "leadsquared",
        "EmailAddress",
        ("FirstName", "LastName", "mx_City"),
        ("secret_key", "api_key"),
    ),
    "influencersoft": Case(
        "influencersoft",
        "lead_email",
        ("lead_first_name", "lead_last_name", "lead_shipping_city"),
        ("rps_key",),
        updates=False,
    ),
}


def canary_values(case: Case, tag: str = "") -> dict[str, str]:
    """A distinctive made-up secret for each secret key of `case` (CANARY-...)."""
    return {
        key: f"CANARY-{tag or secrets.token_hex(4)}-{case.vendor[:4]}-{key}-{secrets.token_hex(6)}"
        for key in case.secret_keys
    }


def _app_options(vendor: str, canary: Mapping[str, str]) -> dict[str, Any]:
    """The emulator options that make it accept the canary secrets."""
    if vendor == "cmdatamanager":
        from crmtui.sandbox.cmdatamanager.app import DEFAULT_CREDENTIALS, CMDCredentials

        creds = CMDCredentials(
            client_id=DEFAULT_CREDENTIALS.client_id,
            client_secret=canary["client_secret"],
            username=DEFAULT_CREDENTIALS.username,
            password=canary["password"],
        )
        return {"credentials": creds}
    if vendor == "sharpspring":
        return {"secret_key": canary["secret_key"]}
    if vendor == "leadsquared":
        from crmtui.sandbox.leadsquared.app import DEFAULT_KEYS, LsqKeys

        keys = LsqKeys(DEFAULT_KEYS.access_key, canary["secret_key"], canary["api_key"])
        return {"keys": keys}
    return {"rps_key": canary["rps_key"]}


@dataclass
class Rig:
    """One vendor's sandbox (store, faults, app) on virtual time, and how to open sessions."""

    case: Case
    store: Store
    faults: Faults
    app: Any
    time: VirtualTime
    canary: dict[str, str]
    profile_name: str
    env: dict[str, str] = field(default_factory=dict)

    @property
    def ns(self) -> str:
        """The vendor's namespace in the store."""
        return self.case.vendor

    async def open(self, transport: httpx.AsyncBaseTransport) -> Session:
        """A write-mode session whose secrets are env references to the canary values."""
        base = f"https://chaos-{self.case.vendor}.invalid"
        keys = vendors.profile_keys(self.case.vendor, base)
        for key in self.case.secret_keys:
            keys[key] = {"env": self.env[key]}
        profile = {
            "name": self.profile_name,
            "vendor": self.case.vendor,
            "base_url": base,
            "mode": "write",
            **keys,
        }
        config = Config.model_validate({"profiles": {self.profile_name: profile}})
        session = await open_session(config.profiles[self.profile_name], transport=transport)
        http = session.backend.http
        # Waits (pacing, backoff, Retry-After) move the virtual clock instead of sleeping.
        http._sleep = http.limiter._sleep = self.time.sleep
        http._clock = http.quota._clock = self.time.clock
        return session


def make_rig(
    vendor: str, *, records: int = 300, seed: int = 0, faults: Faults | None = None, tag: str = ""
) -> Rig:
    """A fresh in-memory sandbox of `vendor` with canary secrets exported as env variables."""
    case = CASES[vendor]
    canary = canary_values(case, tag)
    env = {key: f"CRMTUI_CHAOS_{vendor.upper()}_{key.upper()}" for key in case.secret_keys}
    for key, name in env.items():
        os.environ[name] = canary[key]
    clock = VirtualTime()
    store = Store(":memory:")
    live = faults if faults is not None else Faults(seed=seed)
    module = vendors.load(vendor)
    app = module.create_app(
        store, faults=live, records=records, seed=seed, clock=clock.clock,
        **_app_options(vendor, canary),
    )  # fmt: skip
    return Rig(case, store, live, app, clock, canary, f"chaos-{vendor}", env)
