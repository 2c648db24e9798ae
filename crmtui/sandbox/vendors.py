"""The vendors that have a sandbox, by name; each emulator module follows one small convention.

An emulator module `crmtui.sandbox.<vendor>` provides:
- `LABEL`: the vendor's display name;
- `create_app(store, *, faults=None, records=10_000, seed=0, clock=time.time, **options)`: the
  ASGI app over the shared store (seeding its namespace on first use);
- `sandbox_profile(base_url=...) -> dict`: the profile keys (credentials, api version, a second
  host under `base_url`, ...) that reach it, without `vendor`, `base_url` or `mode`, which the
  caller adds. Emulators that need no URL may omit the parameter.
`crmtui sandbox serve` mounts each under `/<vendor>`; `crmtui --demo` opens one profile each.
"""

from __future__ import annotations

import importlib
import inspect
from types import ModuleType
from typing import Any

from crmtui.errors import UsageError

# In the order the demo lists them; the first is the demo's default profile.
SANDBOX_MODULES: dict[str, str] = {
    "cmdatamanager": "crmtui.sandbox.cmdatamanager.app",
    "sharpspring": "crmtui.sandbox.sharpspring.app",
    "leadsquared": "crmtui.sandbox.leadsquared.app",
    "influencersoft": "crmtui.sandbox.influencersoft.app",
}


def names() -> tuple[str, ...]:
    """Every vendor with a sandbox."""
    return tuple(SANDBOX_MODULES)


def load(vendor: str) -> ModuleType:
    """The emulator module of `vendor`, or UsageError naming those that exist."""
    target = SANDBOX_MODULES.get(vendor)
    if target is None:
        raise UsageError(f"no sandbox for {vendor}; available: {', '.join(SANDBOX_MODULES)}")
    return importlib.import_module(target)


def profile_keys(vendor: str, base_url: str) -> dict[str, Any]:
    """The profile keys that reach `vendor`'s sandbox when it is served at `base_url`."""
    make = load(vendor).sandbox_profile
    if "base_url" in inspect.signature(make).parameters:
        keys: dict[str, Any] = make(base_url=base_url)
    else:
        keys = make()
    return keys
