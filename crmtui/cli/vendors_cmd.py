"""`crmtui vendors`: the registered vendors (built in or installed), their views and sandboxes."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crmtui.backends import registry
from crmtui.model.sanitize import dumps, inert


def _vendors(args: argparse.Namespace) -> int:
    rows: list[dict[str, Any]] = [
        {
            "name": spec.name,
            "label": spec.label,
            "views": sorted(view.value for view in spec.views),
            "sandbox": spec.emulator is not None,
            "doc": spec.doc,
        }
        for spec in registry.specs()
    ]
    if args.format == "json":
        print(dumps(rows, indent=2))
    else:
        for row in rows:
            views = ", ".join(row["views"]) or "-"
            sandbox = "sandbox" if row["sandbox"] else "no sandbox"
            print(inert(f"{row['name']:<16} {row['label']:<18} {sandbox:<11} views: {views}"))
    for name, reason in registry.broken().items():
        print(inert(f"warning: vendor {name!r} could not be loaded: {reason}"), file=sys.stderr)
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `vendors`."""
    p = sub.add_parser("vendors", help="the vendors crmtui knows (built in or installed)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=_vendors)
