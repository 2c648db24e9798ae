"""Serve the vendor emulators on loopback, each under "/<vendor>", with a small admin endpoint.

`POST /_sandbox/faults` with a JSON object (e.g. {"error_rate": 0.5}) changes the live faults of
every mounted vendor and answers the full settings; `GET /_sandbox/faults` shows them. Unknown
names or bad values are 400. The admin endpoint itself is never subject to faults.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import tomli_w
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from crmtui.errors import UsageError
from crmtui.files import write_atomic
from crmtui.sandbox import vendors as sandbox_vendors
from crmtui.sandbox.faults import Faults
from crmtui.sandbox.store import Store

VENDORS = sandbox_vendors.names()


def _check_vendors(vendors: Sequence[str]) -> None:
    for vendor in vendors:
        sandbox_vendors.load(vendor)


def build_server_app(
    store: Store,
    vendors: Sequence[str] = VENDORS,
    *,
    faults: Faults | None = None,
    records: int = 10_000,
    seed: int = 0,
    hourly_limit: int = 5000,
    token_ttl: float = 3600.0,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """One app mounting each vendor's emulator under "/<vendor>", sharing one live Faults."""
    _check_vendors(vendors)
    live = faults if faults is not None else Faults()
    mounts: list[Route | Mount] = []
    for vendor in vendors:
        app = sandbox_vendors.create_app(
            vendor, store, faults=live, records=records, seed=seed, clock=clock,
            hourly_limit=hourly_limit, token_ttl=token_ttl,
        )  # fmt: skip
        mounts.append(Mount(f"/{vendor}", app=app))

    async def admin(request: Request) -> Response:
        if request.method == "POST":
            try:
                changes = await request.json()
                if not isinstance(changes, dict):
                    raise ValueError("expected a JSON object of fault settings")
                live.apply(changes)
            except ValueError as exc:
                return JSONResponse({"Message": str(exc)}, status_code=400)
        return JSONResponse(live.as_dict())

    server = Starlette(routes=[Route("/_sandbox/faults", admin, methods=["GET", "POST"]), *mounts])
    server.state.faults = live
    server.state.store = store
    return server


def profiles_toml(host: str, port: int, vendors: Sequence[str] = VENDORS) -> str:
    """A ready-to-use profiles file pointing at the sandbox (its credentials are sandbox-only)."""
    return tomli_w.dumps(_profiles(host, port, vendors))


def _profiles(host: str, port: int, vendors: Sequence[str]) -> dict[str, Any]:
    netloc = f"[{host}]" if ":" in host else host
    tables: dict[str, Any] = {}
    for vendor in vendors:
        tables[f"sandbox-{vendor}"] = {
            "vendor": vendor,
            "base_url": f"http://{netloc}:{port}/{vendor}",
            "mode": "write",
            **sandbox_vendors.profile_keys(vendor, f"http://{netloc}:{port}/{vendor}"),
        }
    return {"default_profile": f"sandbox-{vendors[0]}", "profiles": tables}


def save_profiles(path: Path, host: str, port: int, vendors: Sequence[str] = VENDORS) -> None:
    """Write the sandbox profiles into `path` (mode 0600, atomically).

    Other profiles and `default_profile` already in the file are kept (its comments are not).
    """
    doc: dict[str, Any] = {}
    if path.exists():
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"{path}: cannot merge the sandbox profiles into it: {exc}") from None
    ours = _profiles(host, port, vendors)
    doc.setdefault("default_profile", ours["default_profile"])
    doc.setdefault("profiles", {}).update(ours["profiles"])
    write_atomic(path, tomli_w.dumps(doc))


def check_loopback(host: str) -> None:
    """Refuse any host that is not a loopback address."""
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise UsageError(
            f"refusing to serve the sandbox on {host!r}: it has well-known credentials and no "
            "TLS, so it only listens on loopback (127.0.0.1, ::1 or localhost)"
        )


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    records: int = 10_000,
    seed: int = 0,
    data: Path | None = None,
    write_profiles: Path | None = None,
    faults: Faults | None = None,
    vendors: Sequence[str] | None = None,
) -> None:
    """Serve the sandbox with uvicorn until interrupted (port 0 picks a free port).

    Once listening, prints the profiles TOML to stdout followed by a "# crmtui sandbox ready on
    URL" comment line (so stdout stays valid TOML); progress notes go to stderr.
    """
    import uvicorn

    check_loopback(host)
    served = tuple(vendors) if vendors else VENDORS
    sock = _listen(host, port)
    store: Store | None = None
    try:
        store = Store(data if data is not None else ":memory:")
        for vendor in served:
            info = store.seed_info(vendor)
            if info is None:
                note = f"sandbox: seeding {vendor} with {records} leads (seed {seed})..."
            else:
                note = f"sandbox: reusing {data} for {vendor} ({info.get('records')} leads)"
            print(note, file=sys.stderr, flush=True)
        app = build_server_app(store, served, faults=faults or Faults(), records=records, seed=seed)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        asyncio.run(_run(server, sock, host, write_profiles, served))
    finally:
        sock.close()
        if store is not None:
            store.close()


async def _run(
    server: Any,
    sock: socket.socket,
    host: str,
    write_to: Path | None,
    vendors: Sequence[str] = VENDORS,
) -> None:
    """Run uvicorn on `sock`; once it listens, print the profiles and the ready line."""
    bound = sock.getsockname()[1]
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if server.started:
        if write_to is not None:
            save_profiles(write_to, host, bound, vendors)
        netloc = f"[{host}]" if ":" in host else host
        sys.stdout.write(profiles_toml(host, bound, vendors))
        sys.stdout.write(f"# crmtui sandbox ready on http://{netloc}:{bound}\n")
        sys.stdout.flush()
    await task


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; a clear UsageError when that is impossible."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock
