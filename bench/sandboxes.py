"""Seeded demo data dirs in a temp folder, one per size, shared by every figure of a run."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.core import stopwatch

# The vendors a run seeds at its sizes; the rest are seeded at the demo's size on first use.
VENDORS = ("cmdatamanager", "sharpspring")


def open_sandbox(data_dir: Path, vendors: Sequence[str] = VENDORS, records: int = 10_000) -> Any:
    """A Demo (as `crmtui --demo` opens it) over the demo store in `data_dir`, with only `vendors`.

    Vendors without a sandbox yet are skipped; the first one present is the default profile.
    """
    from crmtui.profiles.model import Config
    from crmtui.sandbox import vendors as registry
    from crmtui.sandbox.store import Store
    from crmtui.sandbox.transport import in_process_transport
    from crmtui.services.demo import Demo, demo_store_path

    store = Store(demo_store_path(data_dir))
    demo = Demo(Config.model_validate({"profiles": {}}))
    profiles: dict[str, dict[str, Any]] = {}
    for vendor in (v for v in vendors if v in registry.names()):
        module = registry.load(vendor)
        app = module.create_app(store, records=records, seed=0)
        name = f"demo-{vendor}"
        profiles[name] = {
            "name": name,
            "vendor": vendor,
            "base_url": f"https://demo-{vendor}.invalid",
            "mode": "confirm-writes",
            **module.sandbox_profile(),
        }
        demo.apps[name], demo.transports[name], demo.stores[name] = (
            app,
            in_process_transport(app),
            store,
        )
    first = next(iter(profiles))
    demo.config = Config.model_validate({"default_profile": first, "profiles": profiles})
    return demo


class Sandboxes:
    """`data_dir(n)`: a CRMTUI_DATA_DIR whose demo store holds `n` leads per vendor."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="crmtui-bench-"))
        self._dirs: dict[tuple[int, tuple[str, ...]], Path] = {}
        self.seconds: dict[str, float] = {}
        """Seeding time of each data dir, by its folder name."""

    def data_dir(self, records: int, vendors: Sequence[str] = VENDORS) -> Path:
        """The data dir whose `vendors` hold `records` leads, seeded on first use."""
        key = (records, tuple(vendors))
        found = self._dirs.get(key)
        if found is not None:
            return found
        folder = self.root / f"leads-{records}-{len(self._dirs)}"
        folder.mkdir()
        elapsed = stopwatch()
        open_sandbox(folder, vendors, records=records).close()
        self.seconds[folder.name] = elapsed()
        self._dirs[key] = folder
        return folder

    def close(self) -> None:
        """Remove every data dir."""
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Sandboxes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
