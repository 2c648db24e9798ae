"""The CMDataManager profile: client id/secret plus user credentials, the API version."""

from __future__ import annotations

from typing import ClassVar, Literal

from crmtui.model.profile import ProfileBase, SecretValue
from crmtui.model.shape import field


class CMDataManagerProfile(ProfileBase):
    """A CMDataManager account (token from client id/secret plus user credentials)."""

    SECRET_KEYS: ClassVar[tuple[str, ...]] = ("client_id", "client_secret", "username", "password")
    PLAIN_KEYS: ClassVar[frozenset[str]] = frozenset({"username"})

    vendor: Literal["cmdatamanager"]
    """The CRM vendor."""
    client_id: SecretValue
    """The API client id (sent to /authenticate)."""
    client_secret: SecretValue
    """The API client secret."""
    username: SecretValue
    """The user to authenticate as."""
    password: SecretValue
    """That user's password."""
    api_version: str = "v1"
    """The API version in the URL path."""
    custom_entities: list[str] = field(default_factory=list)
    """Custom entity names to offer besides the standard ones."""
    keep_token: bool = True
    """Keep the API token between runs (a private 0600 file in the data dir) until the vendor's
    x-token-reset, so a launch does not sign in again; false signs in on every run."""
