"""The backends by vendor name; an unknown name gets the list of valid ones."""

from __future__ import annotations

import importlib

from crmtui.backends.base import Backend
from crmtui.errors import ConfigError

# vendor name -> "module:Class"; modules are imported only when a profile uses them.
BACKENDS: dict[str, str] = {
    "cmdatamanager": "crmtui.backends.cmdatamanager.backend:CMDataManagerBackend",
    "sharpspring": "crmtui.backends.sharpspring.backend:SharpSpringBackend",
    "leadsquared": "crmtui.backends.leadsquared.backend:LeadSquaredBackend",
    "influencersoft": "crmtui.backends.influencersoft.backend:InfluencerSoftBackend",
}
KNOWN_VENDORS = ("sharpspring", "leadsquared", "influencersoft", "cmdatamanager")


def backend_class(vendor: str) -> type[Backend]:
    """The backend class for `vendor`, or ConfigError naming the valid vendors."""
    target = BACKENDS.get(vendor)
    if target is None:
        if vendor in KNOWN_VENDORS:
            raise ConfigError(f"vendor {vendor!r} is not supported yet; available: {available()}")
        raise ConfigError(f"unknown vendor {vendor!r}; valid vendors: {available()}")
    module_name, _, class_name = target.partition(":")
    cls: type[Backend] = getattr(importlib.import_module(module_name), class_name)
    return cls


def available() -> str:
    """The vendor names that have a backend, comma-separated."""
    return ", ".join(sorted(BACKENDS))
