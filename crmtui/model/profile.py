"""A profile's shared shape: secret references, URL rules, `ProfileBase` (see `crmtui.model.shape`).

Each vendor's profile model (in its folder, named by its `VendorSpec`) extends `ProfileBase`.
"""

from __future__ import annotations

import ipaddress
import shlex
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from crmtui.model.shape import Check, Loc, Model, fail, field

Mode = Literal["read-only", "confirm-writes", "write"]
MODES: tuple[str, ...] = ("read-only", "confirm-writes", "write")


class EnvRef(Model, frozen=True):
    """A secret read from an environment variable: `{ env = "NAME" }`."""

    env: str = field(min_length=1)
    """The environment variable holding the secret."""

    def __str__(self) -> str:
        return f'{{ env = "{self.env}" }}'


def _splits(value: str) -> str:
    """`value` if it splits into words like a shell command line; ValueError otherwise."""
    try:
        words = shlex.split(value)
    except ValueError as exc:
        raise ValueError(f"the command cannot be split into words ({exc})") from None
    if not words:
        raise ValueError("the command is empty")
    return value


class CommandRef(Model, frozen=True):
    """A secret printed by a command: `{ command = "pass show crm" }` (stdout, stripped)."""

    command: str = field(min_length=1, check=_splits)
    """The command line, split like a shell would (no pipes: use `sh -c '...'` for those)."""

    def __str__(self) -> str:
        return f'{{ command = "{self.command}" }}'


def _service_and_user(value: str) -> str:
    """`value` if it reads "service/user"; ValueError otherwise."""
    service, _, user = value.rpartition("/")
    if not service or not user:
        raise ValueError('expected "service/user"')
    return value


class KeyringRef(Model, frozen=True):
    """A secret kept in the OS keyring: `{ keyring = "service/user" }` (needs `keyring`)."""

    keyring: str = field(check=_service_and_user)
    """`service/user`: the keyring service and user name (split at the last slash)."""

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


_REFS: dict[str, type[EnvRef | CommandRef | KeyringRef]] = {
    "ref:env": EnvRef,
    "ref:command": CommandRef,
    "ref:keyring": KeyringRef,
}


def _secret(value: Any, loc: Loc) -> str | EnvRef | CommandRef | KeyringRef:
    """A literal secret or a reference, by its one key; the reference's problems are located
    under its tag ("ref:env"), which the messages leave out."""
    kind = _secret_kind(value)
    if kind is None:
        fail("secret_value", f"expected {SECRET_SHAPE}", loc)
    if kind == "ref:literal":
        assert isinstance(value, str)
        return value
    return _REFS[kind]._validate(value, (*loc, kind))


SecretValue = Annotated[str | EnvRef | CommandRef | KeyringRef, Check(_secret)]
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


class ProfileBase(Model):
    """Settings shared by every vendor's profile."""

    SECRET_KEYS: ClassVar[tuple[str, ...]] = ()
    """Keys that hold secrets (a literal or a reference) for this vendor."""
    PLAIN_KEYS: ClassVar[frozenset[str]] = frozenset()
    """Secret-capable keys whose literal value is an identifier (shown, no permission warning)."""

    name: str = field(min_length=1)
    """The profile's name: its table key, filled in by the loader (not written in the file)."""
    vendor: str
    """The CRM vendor: one of the registered vendors (`crmtui vendors` lists them)."""
    base_url: str = field(check=check_url)
    """The API's base URL; https unless it is loopback (the sandbox)."""
    mode: Mode = "confirm-writes"
    """read-only (no writes), confirm-writes (ask before each write) or write."""
    label: str | None = None
    """A friendlier name for the UI."""
    production: bool = False
    """A production account: the UI marks it visibly."""
    timeout: float = field(default=30.0, gt=0, le=600)
    """Seconds before a request times out."""
    low_bandwidth: bool = False
    """Slow links (SSH over mobile): no animations or smooth scrolling, fewer frames per second."""
    mirror: bool = False
    """Keep a local copy of the records (user data dir) so search and sort answer at once."""

    def secret_refs(self) -> dict[str, EnvRef | CommandRef | KeyringRef | str]:
        """Every secret key that is set, with its literal value or reference (unresolved)."""
        refs: dict[str, EnvRef | CommandRef | KeyringRef | str] = {}
        for key in self.SECRET_KEYS:
            value = getattr(self, key, None)
            if value is not None:
                refs[key] = value
        return refs

    def _repr_items(self) -> Iterator[tuple[str, Any]]:
        # A literal secret must not show up in a repr or a traceback's locals.
        for key, value in super()._repr_items():
            if key in self.SECRET_KEYS and isinstance(value, str):
                yield key, "***"
            else:
                yield key, value
