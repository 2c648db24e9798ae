"""The vendors crmtui knows: the built-in specs, then those installed packages register.

A package adds a vendor by declaring an entry point in the `crmtui.vendors` group whose name is
the vendor's name and whose value points at its `VendorSpec`, e.g. in its pyproject.toml:

    [project.entry-points."crmtui.vendors"]
    acme = "crmtui_acme.spec:SPEC"

The specs are read once per process (`refresh()` reads them again). A vendor that fails to load
is left out and its error is reported whenever a profile names it; an unknown vendor's error
names the valid ones. Asking for one built-in vendor (`spec`, `known`) reads its spec alone:
opening a profile loads neither the other vendors' specs nor the installed packages' metadata.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import TYPE_CHECKING, Any

from crmtui.backends.spec import VendorSpec, resolve
from crmtui.errors import ConfigError

if TYPE_CHECKING:
    from crmtui.backends.base import Backend
    from crmtui.model.profile import ProfileBase

ENTRY_POINT_GROUP = "crmtui.vendors"
# The built-in vendors, in the order the demo and `sandbox serve` list them (the first is the
# demo's default profile). Each folder's spec.py is the one place describing that vendor.
BUILTIN: tuple[str, ...] = (
    "crmtui.backends.cmdatamanager.spec:SPEC",
    "crmtui.backends.sharpspring.spec:SPEC",
    "crmtui.backends.leadsquared.spec:SPEC",
    "crmtui.backends.influencersoft.spec:SPEC",
)
log = logging.getLogger(__name__)


def _folder(reference: str) -> str:
    """The vendor folder a built-in reference points into (crmtui.backends.<name>.spec)."""
    return reference.partition(":")[0].split(".")[-2]


_BUILTIN_BY_NAME: dict[str, str] = {_folder(reference): reference for reference in BUILTIN}


class _Found:
    """The specs by name, plus the installed vendors that failed to load (name -> reason)."""

    def __init__(self) -> None:
        self.specs: dict[str, VendorSpec] = {}
        self.broken: dict[str, str] = {}

    def add(self, spec: Any, origin: str) -> None:
        if not isinstance(spec, VendorSpec):
            raise TypeError(f"{origin} is a {type(spec).__name__}, not a VendorSpec")
        if spec.name in self.specs:
            log.warning("vendor %r from %s ignored: the name is taken", spec.name, origin)
            return
        self.specs[spec.name] = spec


@cache
def _found() -> _Found:
    from importlib import metadata

    found = _Found()
    for reference in BUILTIN:
        found.add(_builtin(_folder(reference)), reference)
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            spec = entry.load()
            found.add(spec, f"entry point {entry.name} = {entry.value}")
            if isinstance(spec, VendorSpec) and spec.name != entry.name:
                log.warning("entry point %r names vendor %r", entry.name, spec.name)
        except Exception as exc:  # a broken plug-in must not stop crmtui
            reason = f"{type(exc).__name__}: {exc}"
            found.broken.setdefault(entry.name, reason)
            log.warning("vendor %r could not be loaded: %s", entry.name, reason)
    return found


@cache
def _builtin(name: str) -> VendorSpec:
    """The built-in vendor `name`'s spec, read alone (built-ins win over installed namesakes)."""
    reference = _BUILTIN_BY_NAME[name]
    loaded = resolve(reference)
    if not isinstance(loaded, VendorSpec) or loaded.name != name:
        raise TypeError(f"{reference} is not the VendorSpec of {name!r}")
    return loaded


def refresh() -> None:
    """Forget the specs read so far; the next call reads the built-ins and entry points again."""
    _found.cache_clear()
    _builtin.cache_clear()


def known(vendor: str) -> bool:
    """Whether `vendor` is registered (for a built-in one, without reading the others)."""
    return vendor in _BUILTIN_BY_NAME or vendor in _found().specs


def specs() -> tuple[VendorSpec, ...]:
    """Every vendor's spec: the built-ins first, then installed ones."""
    return tuple(_found().specs.values())


def builtin_specs() -> tuple[VendorSpec, ...]:
    """The built-in vendors' specs, in `specs()` order (no installed package is read)."""
    return tuple(_builtin(_folder(reference)) for reference in BUILTIN)


def names() -> tuple[str, ...]:
    """Every vendor's name, in `specs()` order."""
    return tuple(_found().specs)


def broken() -> dict[str, str]:
    """Installed vendors that failed to load, with the reason."""
    return dict(_found().broken)


def available() -> str:
    """The vendor names, sorted and comma-separated (for error messages)."""
    return ", ".join(sorted(_found().specs))


def spec(vendor: str) -> VendorSpec:
    """The spec of `vendor`, or ConfigError naming the valid vendors (or why it failed)."""
    if vendor in _BUILTIN_BY_NAME:
        return _builtin(vendor)
    found = _found()
    if vendor in found.specs:
        return found.specs[vendor]
    if vendor in found.broken:
        raise ConfigError(
            f"vendor {vendor!r} is installed but failed to load ({found.broken[vendor]}); "
            f"valid vendors: {available()}"
        )
    raise ConfigError(f"unknown vendor {vendor!r}; valid vendors: {available()}")


def backend_class(vendor: str) -> type[Backend]:
    """The backend class for `vendor` (imported now), or ConfigError naming the valid vendors."""
    cls: type[Backend] = resolve(spec(vendor).backend)
    return cls


def profile_class(vendor: str) -> type[ProfileBase]:
    """The profile model of `vendor` (imported now), or ConfigError naming the valid vendors."""
    cls: type[ProfileBase] = resolve(spec(vendor).profile)
    return cls


def profile_classes() -> dict[str, type[ProfileBase]]:
    """Each vendor's profile model, by vendor name (imports the profile modules)."""
    return {name: profile_class(name) for name in names()}
