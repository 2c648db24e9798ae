"""The vendors that have a sandbox: every registered `VendorSpec` naming an `emulator` module.

Each emulator module follows one small convention.

An emulator module `crmtui.sandbox.<vendor>` provides:
- `LABEL`: the vendor's display name;
- `create_app(store, *, faults=None, records=10_000, seed=0, clock=time.time, **options)`: the
  ASGI app over the shared store (seeding its namespace on first use);
- `sandbox_profile(base_url=...) -> dict`: the profile keys (credentials, api version, a second
  host under `base_url`, ...) that reach it, without `vendor`, `base_url` or `mode`, which the
  caller adds. Emulators that need no URL may omit the parameter.
`crmtui sandbox serve` mounts each under `/<vendor>`; `crmtui --demo` opens one profile each.
Only the spec's name and module path are read here: an emulator never shares the client's field
tables (it could not catch the client's bugs if it did).
"""

from __future__ import annotations

import importlib
import inspect
from types import ModuleType
from typing import Any

from crmtui.backends import registry
from crmtui.errors import UsageError


def names(*, installed: bool = True) -> tuple[str, ...]:
    """Every vendor with a sandbox, in the registry's order (the demo's first is its default);
    without `installed`, the built-in ones only (no installed package's metadata is read)."""
    specs = registry.specs() if installed else registry.builtin_specs()
    return tuple(spec.name for spec in specs if spec.emulator)


def load(vendor: str) -> ModuleType:
    """The emulator module of `vendor`, or UsageError naming those that exist."""
    targets = {spec.name: spec.emulator for spec in registry.builtin_specs() if spec.emulator}
    if vendor not in targets:  # an installed vendor's, or none
        targets = {spec.name: spec.emulator for spec in registry.specs() if spec.emulator}
    target = targets.get(vendor)
    if target is None:
        raise UsageError(f"no sandbox for {vendor}; available: {', '.join(targets)}")
    return importlib.import_module(target)


def create_app(vendor: str, store: Any, **options: Any) -> Any:
    """`vendor`'s ASGI app over `store`; options its `create_app` does not take are left out.

    So `sandbox serve` can pass its settings (e.g. an hourly limit) to whichever emulator has
    them without naming the vendor.
    """
    make = load(vendor).create_app
    accepted = inspect.signature(make).parameters
    return make(store, **{k: v for k, v in options.items() if k in accepted})


def profile_keys(vendor: str, base_url: str) -> dict[str, Any]:
    """The profile keys that reach `vendor`'s sandbox when it is served at `base_url`."""
    make = load(vendor).sandbox_profile
    if "base_url" in inspect.signature(make).parameters:
        keys: dict[str, Any] = make(base_url=base_url)
    else:
        keys = make()
    return keys
