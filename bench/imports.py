"""Import-time breakdown of a crmtui launch up to its first interactive frame.

Runs the command in a pty under `-X importtime` (the report goes to a file: Textual draws on
the real stderr), waits for the needles, stops it, and sums the self time of each top-level
package. Run: python -m bench.imports DATA_DIR [crmtui args...] (e.g. --demo).
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.startup import FOOTER, byte_compiled
from bench.terminal import Pty, bench_env, python

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")
# -X importtime writes to file descriptor 2: point it at the report, and the terminal's stderr
# (where Textual draws) at a copy of the pty.
RUNNER = (
    "import os, sys, runpy; tty = os.dup(2); "
    "os.dup2(os.open(sys.argv.pop(1), os.O_WRONLY | os.O_CREAT), 2); "
    "sys.stderr = sys.__stderr__ = os.fdopen(tty, 'w'); "
    "sys.argv[0] = 'crmtui'; runpy.run_module('crmtui', run_name='__main__')"
)


def breakdown(report: str) -> tuple[dict[str, int], int]:
    """Self microseconds per top-level package, and the total."""
    per: dict[str, int] = defaultdict(int)
    total = 0
    for line in report.splitlines():
        found = _LINE.match(line)
        if found is None:
            continue
        own = int(found.group(1))
        name = found.group(4)
        top = name if name.startswith("crmtui") else name.split(".")[0]
        per[top] += own
        total += own
    return dict(per), total


def measure(data_dir: Path, args: list[str], needles: list[str]) -> tuple[dict[str, int], int]:
    """The breakdown of one launch of `crmtui args` until `needles` are on screen."""
    byte_compiled()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "importtime.txt"
        argv = python("-X", "importtime", "-c", RUNNER, str(report), *args)
        with Pty(argv, bench_env(data_dir)) as term:
            term.wait_for(needles)
        text = report.read_text(encoding="utf-8")
    keep = Path(tempfile.gettempdir()) / "crmtui-importtime.txt"
    keep.write_text(text, encoding="utf-8")
    return breakdown(text)


def main(argv: list[str]) -> int:
    """Print the top packages by self import time."""
    data_dir, args = Path(argv[0]), argv[1:]
    per, total = measure(data_dir, args, [FOOTER, " of "])
    print(f"total import self time: {total / 1000:.0f} ms")
    for name, micros in sorted(per.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {micros / 1000:7.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
