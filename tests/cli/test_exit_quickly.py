"""A command run as the program leaves its last objects out of the exit's garbage collection
(the process ends next: walking them took a tenth of a second), while a caller that runs the
command line in its own process (argv given) keeps collecting as before."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """\
import gc, json, sys
from crmtui.cli import main as cli_main
sys.argv = ["crmtui", *sys.argv[1:]]
as_program = "--as-program" in sys.argv
if as_program:
    sys.argv.remove("--as-program")
    code = cli_main.main()
else:
    code = cli_main.main(sys.argv[1:])
print(json.dumps({"code": code, "frozen": gc.get_freeze_count()}))
"""


def _run(*args: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=True,
    )
    found: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_the_program_sets_its_objects_aside_before_it_exits() -> None:
    found = _run("--as-program", "vendors")
    assert found["code"] == 0
    assert found["frozen"] > 10_000


def test_a_caller_in_process_keeps_collecting() -> None:
    found = _run("vendors")
    assert found["code"] == 0
    assert found["frozen"] == 0
