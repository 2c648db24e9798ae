"""The LeadSquared profile: access and secret keys; the async API's key and host."""

from __future__ import annotations

from typing import ClassVar, Literal

from crmtui.model.profile import ProfileBase, SecretValue, check_url
from crmtui.model.shape import field


class LeadSquaredProfile(ProfileBase):
    """A LeadSquared account (access and secret keys; an API key for the async API)."""

    SECRET_KEYS: ClassVar[tuple[str, ...]] = ("access_key", "secret_key", "api_key")

    vendor: Literal["leadsquared"]
    """The CRM vendor."""
    access_key: SecretValue
    """The API access key."""
    secret_key: SecretValue
    """The API secret key."""
    api_key: SecretValue | None = None
    """The async API's x-api-key."""
    async_base_url: str | None = field(default=None, check=check_url)
    """The async API's base URL (another host)."""
    async_captures: bool = False
    """Send lead captures through the async API."""
