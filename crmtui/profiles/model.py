"""The profile file's shape: `Config`, whose profiles each vendor's own model validates.

The shared pieces (secret references, URL rules, `ProfileBase`) live in `crmtui.model.profile`;
each vendor's profile model lives in its folder and is named by its `VendorSpec`. A profile is
validated by its vendor's model when first read (`crmtui.profiles.lazy`), so opening one profile
imports one vendor's model; `PROFILE_CLASSES` and `VENDORS` import every vendor's, when used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from crmtui.model.profile import (
    MODES,
    REF_KINDS,
    SECRET_SHAPE,
    CommandRef,
    EnvRef,
    KeyringRef,
    Mode,
    ProfileBase,
    SecretValue,
    check_url,
    is_loopback,
)
from crmtui.model.shape import Check, Model, field
from crmtui.profiles.lazy import Profiles

__all__ = [
    "MODES",
    "PROFILE_CLASSES",
    "REF_KINDS",
    "SECRET_SHAPE",
    "TOML_KEYS",
    "VENDORS",
    "CommandRef",
    "Config",
    "EnvRef",
    "KeyringRef",
    "Mode",
    "Profile",
    "ProfileBase",
    "Profiles",
    "SecretValue",
    "check_url",
    "is_loopback",
]

if TYPE_CHECKING:  # module attributes built on first use (see __getattr__)
    PROFILE_CLASSES: dict[str, type[ProfileBase]]
    VENDORS: tuple[str, ...]

Profile = ProfileBase
"""Any registered vendor's profile (its class is picked by its `vendor` key)."""


class Config(Model):
    """A whole profile file: defaults, UI settings and the profiles by name."""

    default_profile: str | None = None
    """The profile used when --profile is not given."""
    theme: str | None = None
    """The UI theme's name."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Key rebindings: binding id -> keys; `preset = "vim"` starts from j/k/g/G."""
    profiles: Annotated[Profiles, Check(Profiles.of)] = field(default_factory=Profiles)
    """The profiles, by name (each validated when first read; see `Profiles`)."""
    mappings: dict[str, dict[str, str]] = field(default_factory=dict)
    """Copy mappings by profile pair ("A->B"): source field -> target field."""
    path: Path = field(default=Path("profiles.toml"), exclude=True)
    """Where this config was read from (not written to the file)."""
    warnings: list[str] = field(default_factory=list, exclude=True)
    """Problems worth telling the user that do not stop loading (e.g. file permissions)."""


TOML_KEYS: tuple[str, ...] = ("default_profile", "theme", "keymap", "profiles", "mappings")
"""The top-level keys a profile file may hold."""


def __getattr__(name: str) -> Any:
    """`PROFILE_CLASSES` and `VENDORS` (importing every vendor's profile model), or a vendor's
    profile class by its class name, for code written before they moved to the vendor folders."""
    if name.startswith("__"):  # e.g. the import system's __path__: never load the vendors for it
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from crmtui.backends import registry

    classes = registry.profile_classes()
    if name == "PROFILE_CLASSES":
        return classes
    if name == "VENDORS":
        return tuple(sorted(classes))
    for cls in classes.values():
        if cls.__name__ == name:
            return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
