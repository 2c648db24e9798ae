"""The full chaos run: every vendor sandbox through every fault, then the figures (see tests/chaos).

    .venv/bin/python scripts/chaos.py [--operations 1000] [--seed 0] [--vendor NAME ...]
        [--processes 3] [--journal-entries 60] [--pace-requests 20] [--concurrency 8]
        [--no-hostile]

Prints operations, faults by type, retries, edits lost, duplicate creates and secrets leaked per
vendor; then, across processes: processes sharing one journal (while another compacts it) and
the lines lost; the busiest window of requests at the emulator against each vendor's limit
when several processes share one profile's rate budget; hostile server answers tried, crashes,
escapes reaching the terminal and secrets leaked. Exits 1 if anything was lost, duplicated,
leaked, crashed, printed raw or over a vendor's limit. Writes to a temporary data dir.
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
    parser.add_argument("--processes", type=int, default=3, help="processes sharing (default 3)")
    parser.add_argument("--journal-entries", type=int, default=60, help="edits per process")
    parser.add_argument("--pace-requests", type=int, default=20, help="reads per process")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight each")
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile servers")
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> int:
    """Run each vendor in turn, print the table; 1 when anything was lost, duplicated or leaked."""
    from tests.chaos.runner import run_chaos, table

    reports = []
    for vendor in (args.vendor or VENDORS) if args.operations > 0 else ():
        started = time.monotonic()
        report = await run_chaos(vendor, args.operations, seed=args.seed, records=args.records)
        print(f"{vendor}: {report.operations} operations in {time.monotonic() - started:.1f} s",
              file=sys.stderr, flush=True)  # fmt: skip
        reports.append(report)
    if reports:
        print(table(reports))
    bad = [r for r in reports if r.lost or r.duplicates or r.leaked]
    print(f"\nedits lost {sum(len(r.lost) for r in reports)}, duplicate creates "
          f"{sum(r.duplicates for r in reports)}, secrets leaked "
          f"{sum(len(r.leaked) for r in reports)}")  # fmt: skip
    return 1 if bad else 0


def across_processes(args: argparse.Namespace) -> bool:
    """The runs across processes and the hostile servers; False when any figure is wrong."""
    from tests.chaos.hostile import hostile_run, hostile_table
    from tests.chaos.processes import journal_run, journal_table, pace_table, pacing_run

    note = sys.stderr
    print(f"journal: {args.processes} writers + 1 compactor...", file=note, flush=True)
    journal = journal_run(args.processes, args.journal_entries)
    print(f"pacing: {args.processes} processes per profile...", file=note, flush=True)
    paced = [v for v in (args.vendor or VENDORS) if v != "cmdatamanager"]  # no window to keep
    pace = pacing_run(tuple(paced), processes=args.processes, concurrency=args.concurrency,
                      requests=args.pace_requests) if paced else []  # fmt: skip
    print("\n" + journal_table(journal))
    print("\nshared rate budget, measured at the emulator (ratio = busiest window / limit):")
    print(pace_table(pace))
    good = journal.lost == 0 and all(r.ratio <= 1.0 and not r.failed for r in pace)
    if not args.no_hostile:
        print("hostile servers...", file=note, flush=True)
        hostile = hostile_run(tuple(args.vendor or VENDORS))
        print("\n" + hostile_table(hostile))
        good = good and not (hostile.crashes or hostile.escapes or hostile.leaked)
    return good


def main(argv: list[str] | None = None) -> int:
    """Entry point: a private data dir for the journals, then the run."""
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="crmtui-chaos-") as data:
        os.environ["CRMTUI_DATA_DIR"] = data
        code = asyncio.run(run(args))
        # Outside the event loop: these run `crmtui` commands, each with an event loop of its own.
        return 1 if not across_processes(args) else code


if __name__ == "__main__":
    raise SystemExit(main())
