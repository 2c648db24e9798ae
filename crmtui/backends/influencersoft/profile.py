"""The InfluencerSoft profile: the account login, its RPS key and, to sign, the API secret."""

from __future__ import annotations

from typing import ClassVar, Literal

from crmtui.model.profile import ProfileBase, SecretValue


class InfluencerSoftProfile(ProfileBase):
    """An InfluencerSoft account (login and RPS key)."""

    SECRET_KEYS: ClassVar[tuple[str, ...]] = ("rps_key", "api_secret")

    vendor: Literal["influencersoft"]
    """The CRM vendor."""
    login: str
    """The account login (the subdomain of the API host)."""
    rps_key: SecretValue
    """The RPS (API) key."""
    api_secret: SecretValue | None = None
    """API 1.0's secret key: when set, every call is signed the API 1.0 way (a `hash` of the
    parameters, login and secret) instead of sending the RPS key."""
