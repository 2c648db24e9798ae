"""The InfluencerSoft profile: the account login and its RPS key."""

from __future__ import annotations

from typing import ClassVar, Literal

from crmtui.model.profile import ProfileBase, SecretValue


class InfluencerSoftProfile(ProfileBase):
    """An InfluencerSoft account (login and RPS key)."""

    SECRET_KEYS: ClassVar[tuple[str, ...]] = ("rps_key",)

    vendor: Literal["influencersoft"]
    """The CRM vendor."""
    login: str
    """The account login (the subdomain of the API host)."""
    rps_key: SecretValue
    """The RPS (API) key."""
