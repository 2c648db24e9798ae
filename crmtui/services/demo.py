"""The embedded demo: in-process vendor sandboxes on a store in the user data dir, no network."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from crmtui.profiles import locations
from crmtui.profiles.model import Config
from crmtui.sandbox.store import Store

# The demo's base URLs use the reserved .invalid domain: should a transport ever be missing,
# the request fails to resolve instead of reaching a real vendor.
DEMO_STORE = "sandbox.sqlite3"


@dataclass
class Demo:
    """Demo profiles, the in-process transport for each, and the store behind them."""

    config: Config
    transports: dict[str, httpx.AsyncBaseTransport] = field(default_factory=dict)
    stores: dict[str, Store] = field(default_factory=dict)
    apps: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        """Close the stores."""
        for store in {id(s): s for s in self.stores.values()}.values():
            store.close()


def demo_store_path(data_dir: Path | None = None) -> Path:
    """Where the demo keeps its store (so demo edits survive a restart)."""
    folder = (data_dir or locations.data_dir()) / "demo"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / DEMO_STORE


def open_demo(*, reset: bool = False, data_dir: Path | None = None, records: int = 10_000) -> Demo:
    """One demo profile per vendor that has a sandbox, the first being the default.

    The profiles keep the default mode, which asks before each write.
    """
    from crmtui.backends import registry
    from crmtui.sandbox import vendors
    from crmtui.sandbox.transport import in_process_transport

    path = demo_store_path(data_dir)
    if reset:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store(path)
    profiles: dict[str, dict[str, Any]] = {}
    demo = Demo(Config.model_validate({"profiles": {}}))
    for vendor in vendors.names():  # every registered vendor whose spec names an emulator
        app = vendors.create_app(vendor, store, records=records, seed=0)
        name = f"demo-{vendor}"
        profiles[name] = {
            "name": name,
            "vendor": vendor,
            "label": f"{registry.spec(vendor).label} (demo)",
            "base_url": f"https://demo-{vendor}.invalid",
            "mirror": True,
            **vendors.profile_keys(vendor, f"https://demo-{vendor}.invalid"),
        }
        demo.apps[name] = app
        demo.transports[name] = in_process_transport(app)
        demo.stores[name] = store
    first = next(iter(profiles))
    demo.config = Config.model_validate({"default_profile": first, "profiles": profiles})
    return demo
