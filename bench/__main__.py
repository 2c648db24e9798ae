"""`python -m bench`: every figure on the sandbox, each beside its reference, as one table.

Each figure is measured in the same run as its reference, interleaved, medians of repeats, so
the ratios hold on a noisy machine. Results are saved as JSON under bench/results/ with the
machine and the date; `--compare FILE` prints the change against a saved run; `--quick` uses
small sizes (for CI's smoke test); the targets are judged here, per row.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.core import Row, compare, line, load_json, not_measured, table, to_json
from bench.sandboxes import Sandboxes

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Sizes:
    """How big and how many: the full run and the quick one."""

    big: int
    """Leads in the large sandbox (first rows, cursor depth, memory, listing, stock table)."""
    small: int
    """Leads in the reference sandbox for first rows."""
    demo: int
    """Leads in the demo that start-up and terminal bytes run (`crmtui --demo`'s own size)."""
    repeat: int
    steps: int
    """Cursor steps sent in the pty."""
    warmup: int = 1
    """Unmeasured rounds before the interleaved ones."""


FULL = Sizes(big=100_000, small=1_000, demo=10_000, repeat=5, steps=10)
QUICK = Sizes(big=2_000, small=200, demo=500, repeat=1, steps=2, warmup=0)
FIND_LEADS = 1_000_000  # leads in the mirror the find figures search
FIND_QUICK = 20_000
FIGURES = (
    "startup",
    "startup_profile",
    "latency_first_rows",
    "first_rows",
    "cursor_deep",
    "page_down_latency",
    "memory",
    "list_sharpspring",
    "list_sharpspring_latency",
    "list_cmd",
    "term_bytes",
    "stock_datatable",
    "find",
    "mirror_sync",
)


def run(sizes: Sizes, only: set[str], boxes: Sandboxes, cache: bool = True) -> list[Row]:
    """Measure the chosen figures, in the table's order; a failing figure becomes an n/a row."""
    from bench import find, listing, memory, startup, stock_table, term_bytes, ui_scroll

    rows: list[Row] = []
    found: dict[str, Row] = {}
    all_vendors = _registered()

    def big() -> Path:
        return boxes.data_dir(sizes.big)

    def demo() -> Path:
        return boxes.data_dir(sizes.demo, all_vendors)

    steps: list[tuple[str, Callable[[], Row]]] = [
        ("startup", lambda: startup.measure(demo(), sizes.demo, sizes.repeat, sizes.warmup)),
        ("startup_profile", lambda: startup_profile(boxes.root, sizes)),
        ("latency_first_rows", lambda: latency_first_rows(boxes.root, sizes)),
        (
            "first_rows",
            lambda: ui_scroll.measure_first_rows(
                big(),
                sizes.big,
                boxes.data_dir(sizes.small),
                sizes.small,
                sizes.repeat,
                sizes.warmup,
            ),
        ),
        ("cursor_deep", lambda: ui_scroll.measure_steps(big(), sizes.big, sizes.repeat)),
        ("page_down_latency", lambda: ui_scroll.measure_page_down(big(), sizes.big)),
        ("memory", lambda: memory.measure(big(), sizes.big)),
        (
            "list_sharpspring",
            lambda: listing.measure_sharpspring(big(), sizes.big, max(1, sizes.repeat // 2)),
        ),
        (
            "list_sharpspring_latency",
            lambda: listing.measure_sharpspring(big(), sizes.big, 1, listing.LATENCY),
        ),
        ("list_cmd", lambda: listing.measure_cmd(big(), sizes.big, sizes.repeat, sizes.warmup)),
        ("term_bytes", lambda: term_bytes.measure(demo(), sizes.demo, sizes.steps)),
        (
            "stock_datatable",
            lambda: stock_table.measure(big(), sizes.big, _seconds(found.get("first_rows"))),
        ),
    ]
    mirrored = FIND_QUICK if sizes.big < FULL.big else FIND_LEADS
    find_rows: list[Row] = []

    def find_all() -> Row:
        folder = boxes.root / "find-mirror"
        folder.mkdir(exist_ok=True)
        find_rows.extend(find.measure(folder, mirrored, cache))
        return find_rows[0]

    steps += [
        ("find", find_all),
        ("mirror_sync", lambda: find.measure_sync(big(), sizes.big)),
    ]
    for key, measure in steps:
        if key not in only:
            continue
        print(f"measuring {key}…", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            row = measure()
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            row = not_measured(key, key, f"error: {type(exc).__name__}: {exc}"[:120])
        print(f"  {key}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        found[key] = row
        done = find_rows if key == "find" and find_rows else [row]
        rows.extend(done)
        for each in done:  # each row as it is measured: a long run shows its progress
            print(f"  {line(each)}", file=sys.stderr, flush=True)
    return rows


def startup_profile(root: Path, sizes: Sizes) -> Row:
    """The non-demo start-up row, on its own served store."""
    from bench import startup

    folder = root / "served"
    folder.mkdir(exist_ok=True)
    return startup.measure_profile(folder, sizes.demo, sizes.repeat, sizes.warmup)


def latency_first_rows(root: Path, sizes: Sizes) -> Row:
    """First rows at 250 ms a request, beside an instant vendor."""
    from bench import startup

    folder = root / "latency"
    folder.mkdir(exist_ok=True)
    return startup.measure_latency(folder, sizes.small, sizes.repeat)


def _seconds(row: Row | None) -> float | None:
    value = None if row is None else row.details.get("big_s")
    return float(value) if value is not None else None


def _registered() -> tuple[str, ...]:
    from crmtui.sandbox import vendors

    return vendors.names()


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat (CI)")
    parser.add_argument("--compare", metavar="FILE", help="print the change against a saved run")
    parser.add_argument("--only", help=f"comma-separated figures: {', '.join(FIGURES)}")
    parser.add_argument("--repeat", type=int, help="interleaved rounds per figure")
    parser.add_argument("--out", type=Path, help="where to save the JSON (default bench/results/)")
    parser.add_argument("--no-save", action="store_true", help="do not save the results")
    parser.add_argument(
        "--no-cache", action="store_true", help="build the find mirror afresh (--quick always does)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run, print the table, save, compare; 0 even when targets fail (the table says so)."""
    args = parse(argv)
    sizes = QUICK if args.quick else FULL
    if args.repeat:
        sizes = dataclasses.replace(sizes, repeat=args.repeat)
    only = set(FIGURES)
    if args.only:
        only = {k.strip() for k in args.only.split(",") if k.strip()}
        unknown = only - set(FIGURES)
        if unknown:
            print(f"unknown figure(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
    saved = load_json(args.compare) if args.compare else None
    with Sandboxes() as boxes:
        rows = run(sizes, only, boxes, cache=not (args.no_cache or args.quick))
        seeding = {k: round(v, 2) for k, v in boxes.seconds.items()}
    options = {"quick": args.quick, "sizes": dataclasses.asdict(sizes), "seeding_s": seeding}
    print(table(rows))
    if saved is not None:
        print()
        print(compare(rows, saved, options))
    if not args.no_save:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = args.out or RESULTS / f"{stamp}{'-quick' if args.quick else ''}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(to_json(rows, options), indent=2) + "\n", encoding="utf-8")
        print(f"\nsaved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
