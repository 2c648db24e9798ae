"""`crmtui sandbox serve` on loopback in its own process: a real profile for the measured one.

The measured process then starts as a user's would, `crmtui --config FILE -p PROFILE`, and never
imports the sandbox (starlette, uvicorn): only the server process does.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from bench.terminal import REPO, bench_env, python

READY = "# crmtui sandbox ready on"


class Served:
    """The emulators served from `data_dir`'s store; `config` is the profiles TOML they wrote."""

    def __init__(
        self,
        folder: Path,
        records: int,
        latency: float = 0.0,
        *,
        data: Path | None = None,
        vendors: tuple[str, ...] = (),
    ) -> None:
        """Serve `vendors` (all when empty) from `data` (default: a store of its own in
        `folder`, seeded with `records` leads on first use)."""
        self.config = folder / "served-profiles.toml"
        store = data if data is not None else folder / "served.sqlite3"
        argv = python(
            "-m", "crmtui", "sandbox", "serve", "--port", "0", "--records", str(records),
            "--data", str(store), "--write-profiles", str(self.config),
        )  # fmt: skip
        if latency:
            argv += ["--latency", str(latency)]
        if vendors:
            argv += ["--vendors", ",".join(vendors)]
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=REPO,
            env=bench_env(folder),
            text=True,
        )
        deadline = time.perf_counter() + 600
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(READY):
                break
            if time.perf_counter() > deadline:
                break
        else:
            raise RuntimeError("sandbox serve stopped before it was ready")

    def profile(self, vendor: str, **settings: str | bool) -> list[str]:
        """The options that make crmtui use this server's profile of `vendor`, with `settings`
        added to it (e.g. `mirror=True`) in a config file of their own."""
        if not settings:
            return ["--config", str(self.config), "-p", f"sandbox-{vendor}"]
        import tomllib

        import tomli_w

        config = tomllib.loads(self.config.read_text(encoding="utf-8"))
        config["profiles"][f"sandbox-{vendor}"].update(settings)
        name = "-".join(f"{k}-{v}" for k, v in sorted(settings.items()))
        path = self.config.with_name(f"served-profiles-{vendor}-{name}.toml")
        path.write_text(tomli_w.dumps(config), encoding="utf-8")
        return ["--config", str(path), "-p", f"sandbox-{vendor}"]

    def url(self, vendor: str) -> str:
        """The base URL of `vendor` on this server."""
        import tomllib

        profiles = tomllib.loads(self.config.read_text(encoding="utf-8"))["profiles"]
        return str(profiles[f"sandbox-{vendor}"]["base_url"])

    def close(self) -> None:
        """Stop the server."""
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
