"""The profile file's shape as pydantic models: strict keys, a description on every field."""

from __future__ import annotations

import ipaddress
import shlex
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

Mode = Literal["read-only", "confirm-writes", "write"]
MODES: tuple[str, ...] = ("read-only", "confirm-writes", "write")

_STRICT = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class EnvRef(BaseModel):
    """A secret read from an environment variable: `{ env = "NAME" }`."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    env: str = Field(min_length=1)
    """The environment variable holding the secret."""

    def __str__(self) -> str:
        return f'{{ env = "{self.env}" }}'


class CommandRef(BaseModel):
    """A secret printed by a command: `{ command = "pass show crm" }` (stdout, stripped)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

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

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

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

    model_config = _STRICT

    SECRET_KEYS: ClassVar[tuple[str, ...]] = ()
    """Keys that hold secrets (a literal or a reference) for this vendor."""
    PLAIN_KEYS: ClassVar[frozenset[str]] = frozenset()
    """Secret-capable keys whose literal value is an identifier (shown, no permission warning)."""

    name: str = Field(min_length=1)
    """The profile's name: its table key, filled in by the loader (not written in the file)."""
    vendor: str
    """The CRM vendor: cmdatamanager, sharpspring, leadsquared or influencersoft."""
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
    custom_entities: list[str] = Field(default_factory=list)
    """Custom entity names to offer besides the standard ones."""


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
    async_base_url: str | None = None
    """The async API's base URL (another host)."""
    async_captures: bool = False
    """Send lead captures through the async API."""

    @field_validator("async_base_url")
    @classmethod
    def _async_https(cls, value: str | None) -> str | None:
        return None if value is None else check_url(value)


class InfluencerSoftProfile(ProfileBase):
    """An InfluencerSoft account (login and RPS key)."""

    SECRET_KEYS: ClassVar[tuple[str, ...]] = ("rps_key",)

    vendor: Literal["influencersoft"]
    """The CRM vendor."""
    login: str
    """The account login (the subdomain of the API host)."""
    rps_key: SecretValue
    """The RPS (API) key."""


PROFILE_CLASSES: dict[str, type[ProfileBase]] = {
    "cmdatamanager": CMDataManagerProfile,
    "sharpspring": SharpSpringProfile,
    "leadsquared": LeadSquaredProfile,
    "influencersoft": InfluencerSoftProfile,
}
VENDORS: tuple[str, ...] = tuple(sorted(PROFILE_CLASSES))

Profile = Annotated[
    CMDataManagerProfile | SharpSpringProfile | LeadSquaredProfile | InfluencerSoftProfile,
    Field(discriminator="vendor"),
]


class Config(BaseModel):
    """A whole profile file: defaults, UI settings and the profiles by name."""

    model_config = _STRICT

    default_profile: str | None = None
    """The profile used when --profile is not given."""
    theme: str | None = None
    """The UI theme's name."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Key rebindings: binding id -> keys; `preset = "vim"` starts from j/k/g/G."""
    profiles: dict[str, Profile] = Field(default_factory=dict)
    """The profiles, by name."""
    path: Path = Field(default=Path("profiles.toml"), exclude=True)
    """Where this config was read from (not written to the file)."""
    warnings: list[str] = Field(default_factory=list, exclude=True)
    """Problems worth telling the user that do not stop loading (e.g. file permissions)."""


TOML_KEYS: tuple[str, ...] = ("default_profile", "theme", "keymap", "profiles")
"""The top-level keys a profile file may hold."""
