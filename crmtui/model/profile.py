"""A profile's shared shape as pydantic models: secret references, URL rules, `ProfileBase`.

Each vendor's profile model (in its folder, named by its `VendorSpec`) extends `ProfileBase`.
"""

from __future__ import annotations

import ipaddress
import shlex
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

Mode = Literal["read-only", "confirm-writes", "write"]
MODES: tuple[str, ...] = ("read-only", "confirm-writes", "write")

STRICT = ConfigDict(extra="forbid")


class EnvRef(BaseModel):
    """A secret read from an environment variable: `{ env = "NAME" }`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    env: str = Field(min_length=1)
    """The environment variable holding the secret."""

    def __str__(self) -> str:
        return f'{{ env = "{self.env}" }}'


class CommandRef(BaseModel):
    """A secret printed by a command: `{ command = "pass show crm" }` (stdout, stripped)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    command: str = Field(min_length=1)
    """The command line, split like a shell would (no pipes: use `sh -c '...'` for those)."""

    @field_validator("command")
    @classmethod
    def _splits(cls, value: str) -> str:
        try:
            words = shlex.split(value)
        except ValueError as exc:
            raise ValueError(f"the command cannot be split into words ({exc})") from None
        if not words:
            raise ValueError("the command is empty")
        return value

    def __str__(self) -> str:
        return f'{{ command = "{self.command}" }}'


class KeyringRef(BaseModel):
    """A secret kept in the OS keyring: `{ keyring = "service/user" }` (needs `keyring`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keyring: str
    """`service/user`: the keyring service and user name (split at the last slash)."""

    @field_validator("keyring")
    @classmethod
    def _service_and_user(cls, value: str) -> str:
        service, _, user = value.rpartition("/")
        if not service or not user:
            raise ValueError('expected "service/user"')
        return value

    def parts(self) -> tuple[str, str]:
        """(service, user)."""
        service, _, user = self.keyring.rpartition("/")
        return service, user

    def __str__(self) -> str:
        return f'{{ keyring = "{self.keyring}" }}'


REF_KINDS: tuple[str, ...] = ("env", "command", "keyring")
SECRET_SHAPE = (
    'a string or one of { env = "NAME" }, { command = "..." }, { keyring = "service/user" }'
)


def _secret_kind(value: Any) -> str | None:
    """The union tag for a secret value; None (an error) for anything else."""
    if isinstance(value, str):
        return "ref:literal"
    if isinstance(value, EnvRef | CommandRef | KeyringRef):
        return f"ref:{type(value).__name__.removesuffix('Ref').lower()}"
    if isinstance(value, dict):
        kinds = [kind for kind in REF_KINDS if kind in value]
        if len(kinds) == 1:
            return f"ref:{kinds[0]}"
    return None


SecretValue = Annotated[
    Annotated[str, Tag("ref:literal")]
    | Annotated[EnvRef, Tag("ref:env")]
    | Annotated[CommandRef, Tag("ref:command")]
    | Annotated[KeyringRef, Tag("ref:keyring")],
    Discriminator(
        _secret_kind,
        custom_error_type="secret_value",
        custom_error_message=f"expected {SECRET_SHAPE}",
    ),
]
"""A secret: a literal string (discouraged) or a reference resolved when the profile is opened."""


def is_loopback(host: str) -> bool:
    """Whether `host` (without brackets) names this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(value: str) -> str:
    """`value` if it is an http(s) URL with a host, https unless the host is loopback."""
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError("expected an https:// URL with a host name")
    if parts.username is not None or parts.password is not None:
        raise ValueError("credentials do not belong in the URL; use the profile's secret keys")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError(
            "must use https (plain http is only allowed for 127.0.0.1, localhost and [::1])"
        )
    return value.strip()


class ProfileBase(BaseModel):
    """Settings shared by every vendor's profile."""

    model_config = STRICT

    SECRET_KEYS: ClassVar[tuple[str, ...]] = ()
    """Keys that hold secrets (a literal or a reference) for this vendor."""
    PLAIN_KEYS: ClassVar[frozenset[str]] = frozenset()
    """Secret-capable keys whose literal value is an identifier (shown, no permission warning)."""

    name: str = Field(min_length=1)
    """The profile's name: its table key, filled in by the loader (not written in the file)."""
    vendor: str
    """The CRM vendor: one of the registered vendors (`crmtui vendors` lists them)."""
    base_url: str
    """The API's base URL; https unless it is loopback (the sandbox)."""
    mode: Mode = "confirm-writes"
    """read-only (no writes), confirm-writes (ask before each write) or write."""
    label: str | None = None
    """A friendlier name for the UI."""
    production: bool = False
    """A production account: the UI marks it visibly."""
    timeout: float = Field(30.0, gt=0, le=600)
    """Seconds before a request times out."""
    low_bandwidth: bool = False
    """Slow links (SSH over mobile): no animations or smooth scrolling, fewer frames per second."""
    mirror: bool = False
    """Keep a local copy of the records (user data dir) so search and sort answer at once."""

    @field_validator("base_url")
    @classmethod
    def _https(cls, value: str) -> str:
        return check_url(value)

    def secret_refs(self) -> dict[str, EnvRef | CommandRef | KeyringRef | str]:
        """Every secret key that is set, with its literal value or reference (unresolved)."""
        refs: dict[str, EnvRef | CommandRef | KeyringRef | str] = {}
        for key in self.SECRET_KEYS:
            value = getattr(self, key, None)
            if value is not None:
                refs[key] = value
        return refs

    def __repr_args__(self) -> Any:
        # A literal secret must not show up in a repr or a traceback's locals.
        for key, value in super().__repr_args__():
            if key in self.SECRET_KEYS and isinstance(value, str):
                yield key, "***"
            else:
                yield key, value
