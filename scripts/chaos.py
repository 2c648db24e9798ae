"""The full chaos run: every vendor sandbox through every fault, then the figures (see tests/chaos).

    .venv/bin/python scripts/chaos.py [--operations 1000] [--seed 0] [--vendor NAME ...]

Prints operations, faults by type, retries, edits lost, duplicate creates and secrets leaked per
vendor; exits 1 if any of the last three is not 0. Writes its journals to a temporary data dir.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VENDORS = ("cmdatamanager", "sharpspring", "leadsquared", "influencersoft")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=1000, help="per vendor (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--records", type=int, default=300, help="leads seeded per sandbox")
    parser.add_argument("--vendor", action="append", choices=VENDORS, help="repeatable")
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> int:
    """Run each vendor in turn, print the table; 1 when anything was lost, duplicated or leaked."""
    from tests.chaos.runner import run_chaos, table

    reports = []
    for vendor in args.vendor or VENDORS:
        started = time.monotonic()
        report = await run_chaos(vendor, args.operations, seed=args.seed, records=args.records)
        print(f"{vendor}: {report.operations} operations in {time.monotonic() - started:.1f} s",
              file=sys.stderr, flush=True)  # fmt: skip
        reports.append(report)
    print(table(reports))
    bad = [r for r in reports if r.lost or r.duplicates or r.leaked]
    print(f"\nedits lost {sum(len(r.lost) for r in reports)}, duplicate creates "
          f"{sum(r.duplicates for r in reports)}, secrets leaked "
          f"{sum(len(r.leaked) for r in reports)}")  # fmt: skip
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: a private data dir for the journals, then the run."""
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="crmtui-chaos-") as data:
        os.environ["CRMTUI_DATA_DIR"] = data
        return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
