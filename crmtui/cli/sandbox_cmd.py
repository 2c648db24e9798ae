"""`crmtui sandbox serve`: run the vendor emulators on loopback for trying crmtui out and tests."""

from __future__ import annotations

import argparse
from pathlib import Path


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def _vendors(text: str) -> tuple[str, ...]:
    from crmtui.sandbox import vendors

    names = tuple(dict.fromkeys(v.strip() for v in text.split(",") if v.strip()))
    unknown = [n for n in names if n not in vendors.names()]
    if unknown or not names:
        known = ", ".join(vendors.names())
        raise argparse.ArgumentTypeError(f"unknown vendor(s) {', '.join(unknown)}; known: {known}")
    return names


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `sandbox` and its `serve` subcommand to the main parser's subparsers."""
    parser = sub.add_parser(
        "sandbox",
        help="run local emulators of the CRM vendors",
        description="Local, seeded emulators of the vendors' APIs (loopback only).",
    )
    actions = parser.add_subparsers(dest="sandbox_command", metavar="ACTION", required=True)
    serve = actions.add_parser(
        "serve",
        help="serve the emulators and print a ready-to-use profiles TOML",
        description="Serve the emulators on loopback; stdout gets a profiles TOML, then a "
        "'# crmtui sandbox ready on URL' line once listening.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    serve.add_argument("--records", type=_count, default=10_000, help="leads to seed (10000)")
    serve.add_argument("--seed", type=int, default=0, help="random seed of the data (0)")
    serve.add_argument(
        "--data", type=Path, help="SQLite file to keep the data in (reused when already seeded)"
    )
    serve.add_argument(
        "--write-profiles", type=Path, metavar="PATH", help="also write the profiles TOML here"
    )
    serve.add_argument(
        "--vendors", type=_vendors, help="comma-separated vendors to serve (default: all)"
    )
    serve.add_argument("--latency", type=_non_negative, default=0.0, help="seconds per request")
    serve.add_argument("--error-rate", type=_rate, default=0.0, help="share of HTML 500s (0-1)")
    serve.add_argument("--drop-rate", type=_rate, default=0.0, help="share of dropped connections")
    serve.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    """Run `crmtui sandbox serve` until interrupted; returns the exit code."""
    from crmtui.sandbox.faults import Faults
    from crmtui.sandbox.serve import serve

    faults = Faults(latency=args.latency, error_rate=args.error_rate, drop_rate=args.drop_rate)
    serve(
        host=args.host,
        port=args.port,
        records=args.records,
        seed=args.seed,
        data=args.data,
        write_profiles=args.write_profiles,
        faults=faults,
        vendors=args.vendors,
    )
    return 0
