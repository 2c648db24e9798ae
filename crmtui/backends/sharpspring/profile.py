"""The SharpSpring profile: account id and secret key, the API version."""

from __future__ import annotations

from typing import ClassVar, Literal

from crmtui.model.profile import ProfileBase, SecretValue


class SharpSpringProfile(ProfileBase):
    """A SharpSpring account (account id and secret key on every request)."""

    SECRET_KEYS: ClassVar[tuple[str, ...]] = ("account_id", "secret_key")

    vendor: Literal["sharpspring"]
    """The CRM vendor."""
    account_id: SecretValue
    """The API account id."""
    secret_key: SecretValue
    """The API secret key."""
    api_version: Literal["v1", "v1.2"] = "v1.2"
    """The API version: v1 or v1.2."""
