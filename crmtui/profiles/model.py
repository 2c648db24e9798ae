"""The profile file's shape: every registered vendor's profile model, and the file as a whole.

The shared pieces (secret references, URL rules, `ProfileBase`) live in `crmtui.model.profile`;
each vendor's profile model lives in its folder and is named by its `VendorSpec`. The union of
those models, discriminated by `vendor`, is built here from the registry's list of specs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, Field

from crmtui.backends import registry
from crmtui.model.profile import (
    MODES,
    REF_KINDS,
    SECRET_SHAPE,
    STRICT,
    CommandRef,
    EnvRef,
    KeyringRef,
    Mode,
    ProfileBase,
    SecretValue,
    check_url,
    is_loopback,
)

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
    "SecretValue",
    "check_url",
    "is_loopback",
]

PROFILE_CLASSES: dict[str, type[ProfileBase]] = registry.profile_classes()
"""Each registered vendor's profile model, by vendor name."""
VENDORS: tuple[str, ...] = tuple(sorted(PROFILE_CLASSES))


def _union(classes: list[type[ProfileBase]]) -> Any:
    """The classes as one type (a Union of one class is the class itself)."""
    union: Any = classes[0]
    for cls in classes[1:]:
        union = union | cls
    return union


if TYPE_CHECKING:
    Profile = ProfileBase
else:
    Profile = Annotated[_union(list(PROFILE_CLASSES.values())), Field(discriminator="vendor")]
    """Any registered vendor's profile, picked by its `vendor` key."""


class Config(BaseModel):
    """A whole profile file: defaults, UI settings and the profiles by name."""

    model_config = STRICT

    default_profile: str | None = None
    """The profile used when --profile is not given."""
    theme: str | None = None
    """The UI theme's name."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Key rebindings: binding id -> keys; `preset = "vim"` starts from j/k/g/G."""
    profiles: dict[str, Profile] = Field(default_factory=dict)
    """The profiles, by name."""
    mappings: dict[str, dict[str, str]] = Field(default_factory=dict)
    """Copy mappings by profile pair ("A->B"): source field -> target field."""
    path: Path = Field(default=Path("profiles.toml"), exclude=True)
    """Where this config was read from (not written to the file)."""
    warnings: list[str] = Field(default_factory=list, exclude=True)
    """Problems worth telling the user that do not stop loading (e.g. file permissions)."""


TOML_KEYS: tuple[str, ...] = ("default_profile", "theme", "keymap", "profiles", "mappings")
"""The top-level keys a profile file may hold."""


def __getattr__(name: str) -> type[ProfileBase]:
    """A vendor's profile class by its class name, for code written before they moved.

    Each vendor's profile now lives in its folder (named by its spec's `profile`).
    """
    for cls in PROFILE_CLASSES.values():
        if cls.__name__ == name:
            return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
