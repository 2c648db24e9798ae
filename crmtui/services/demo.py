"""The embedded demo: in-process vendor sandboxes on a store in the user data dir, no network.

Each vendor's profile, emulator app and transport is built when first used: opening the demo on
one profile builds that vendor's sandbox only (the others on switching to them).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from crmtui.profiles import locations
from crmtui.profiles.model import Config, Profiles
from crmtui.sandbox.store import Store

if TYPE_CHECKING:
    import httpx

# The demo's base URLs use the reserved .invalid domain: should a transport ever be missing,
# the request fails to resolve instead of reaching a real vendor.
DEMO_STORE = "sandbox.sqlite3"
V = TypeVar("V")


class _Later:
    """A value not built yet: the function that builds it."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class Built(MutableMapping[str, V], Generic[V]):
    """A mapping whose values are built on first read (`later`), or set as usual."""

    def __init__(self) -> None:
        self._items: dict[str, V | _Later] = {}

    def later(self, key: str, make: Callable[[], V]) -> None:
        """Build the value of `key` with `make` when it is first read."""
        self._items[key] = _Later(make)

    def __getitem__(self, key: str) -> V:
        item = self._items[key]
        if isinstance(item, _Later):
            value: V = item.make()
            self._items[key] = value
            return value
        return item

    def __setitem__(self, key: str, value: V) -> None:
        self._items[key] = value

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def built(self) -> list[V]:
        """The values built so far (reading none)."""
        return [v for v in self._items.values() if not isinstance(v, _Later)]


@dataclass
class Demo:
    """Demo profiles, the in-process transport for each, and the store behind them."""

    config: Config
    transports: MutableMapping[str, httpx.AsyncBaseTransport] = field(default_factory=Built)
    stores: MutableMapping[str, Store] = field(default_factory=dict)
    """The store behind each profile, seeded by its sandbox (reading one builds the sandbox)."""
    apps: MutableMapping[str, Any] = field(default_factory=Built)
    opened: list[Store] = field(default_factory=list)
    """The stores to close, besides those in `stores`."""

    def close(self) -> None:
        """Close the stores (building no sandbox)."""
        stores = self.stores.built() if isinstance(self.stores, Built) else self.stores.values()
        for store in {id(s): s for s in [*self.opened, *stores]}.values():
            store.close()


def demo_store_path(data_dir: Path | None = None) -> Path:
    """Where the demo keeps its store (so demo edits survive a restart)."""
    folder = (data_dir or locations.data_dir()) / "demo"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / DEMO_STORE


def open_demo(*, reset: bool = False, data_dir: Path | None = None, records: int = 10_000) -> Demo:
    """One demo profile per vendor that has a sandbox, the first being the default.

    The profiles keep the default mode, which asks before each write. Each vendor's sandbox
    (its emulator module, app and seed data) is built when its profile or transport is first
    read.
    """
    from crmtui.sandbox import vendors

    path = demo_store_path(data_dir)
    if reset:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store(path)
    demo = Demo(Config.model_validate({"profiles": {}}))
    demo.opened.append(store)
    transports: Built[httpx.AsyncBaseTransport] = Built()
    apps: Built[Any] = Built()
    stores: Built[Store] = Built()
    profiles = Profiles()

    def add(vendors_found: tuple[str, ...]) -> None:
        for vendor in vendors_found:
            name = f"demo-{vendor}"
            if name in transports:
                continue
            profiles.later(name, _table(name, vendor))
            apps.later(name, _app(vendor, store, records))
            transports.later(name, _transport(apps, name))
            stores.later(name, _seeded(apps, name, store))

    # every registered vendor whose spec names an emulator: the built-in ones now, the installed
    # packages' when the profiles are first listed (reading their metadata takes tens of ms)
    add(vendors.names(installed=False))
    profiles.more_later(lambda: add(vendors.names()))
    demo.apps, demo.transports, demo.stores = apps, transports, stores
    first = profiles.first()
    demo.config = Config.model_validate({"default_profile": first, "profiles": profiles})
    return demo


def _table(name: str, vendor: str) -> Callable[[], dict[str, Any]]:
    """Builds the demo profile of `vendor` (its keys come from the emulator module)."""

    def build() -> dict[str, Any]:
        from crmtui.backends import registry
        from crmtui.sandbox import vendors

        url = f"https://demo-{vendor}.invalid"
        return {
            "name": name,
            "vendor": vendor,
            "label": f"{registry.spec(vendor).label} (demo)",
            "base_url": url,
            "mirror": True,
            **vendors.profile_keys(vendor, url),
        }

    return build


def _app(vendor: str, store: Store, records: int) -> Callable[[], Any]:
    def build() -> Any:
        from crmtui.sandbox import vendors

        app = vendors.create_app(vendor, store, records=records, seed=0)
        # seconds added to every request, as `sandbox serve --latency` (the benchmark's knob)
        with contextlib.suppress(ValueError):
            app.state.faults.latency = max(float(os.environ.get("CRMTUI_DEMO_LATENCY", 0)), 0.0)
        return app

    return build


def _seeded(apps: Built[Any], name: str, store: Store) -> Callable[[], Store]:
    def build() -> Store:
        apps[name]  # the sandbox seeds its part of the store when its app is built
        return store

    return build


def _transport(apps: Built[Any], name: str) -> Callable[[], httpx.AsyncBaseTransport]:
    def build() -> httpx.AsyncBaseTransport:
        from crmtui.sandbox.transport import in_process_transport

        return in_process_transport(apps[name])

    return build
