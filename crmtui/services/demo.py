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
    """One demo profile per vendor that has a sandbox, the first being the default."""
    from crmtui.sandbox import cmdatamanager
    from crmtui.sandbox.cmd_schema import CUSTOM_ENTITY
    from crmtui.sandbox.transport import in_process_transport

    path = demo_store_path(data_dir)
    if reset:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store(path)
    profiles: dict[str, dict[str, Any]] = {}
    demo = Demo(Config.model_validate({"profiles": {}}))

    creds = cmdatamanager.DEFAULT_CREDENTIALS
    app = cmdatamanager.create_app(store, credentials=creds, records=records, seed=0)
    name = "demo-cmdatamanager"
    profiles[name] = {
        "name": name,
        "vendor": "cmdatamanager",
        "label": "CMDataManager (demo)",
        "base_url": "https://demo-cmdatamanager.invalid",
        "mode": "confirm-writes",
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "username": creds.username,
        "password": creds.password,
        "api_version": "v1",
        "custom_entities": [CUSTOM_ENTITY],
    }
    demo.apps[name] = app
    demo.transports[name] = in_process_transport(app)
    demo.stores[name] = store

    demo.config = Config.model_validate({"default_profile": name, "profiles": profiles})
    return demo
