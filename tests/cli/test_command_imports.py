"""A command starts without importing every other command: `crmtui mirror ...` loads the mirror's
command module, not the listing's, the bulk jobs' or the copy's; a command whose module is named
otherwise, and `crmtui --help`, still see every command."""

from __future__ import annotations

import json
import subprocess
import sys

# Run as a user's shell would, then name the command modules that were imported.
SCRIPT = """\
import json, sys
from crmtui.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
names = sorted(m for m in sys.modules if m.startswith("crmtui.cli."))
print(json.dumps({"code": code, "modules": names}))
"""
OTHERS = ("crmtui.cli.records_list", "crmtui.cli.bulk", "crmtui.cli.copy", "crmtui.cli.find")


def _run(*args: str) -> tuple[int, list[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return int(found["code"] or 0), list(found["modules"]), done.stdout + done.stderr


def test_a_mirror_command_imports_no_other_command() -> None:
    code, modules, out = _run("-p", "someone", "mirror", "sync", "--help")
    assert code == 0
    assert "--concurrency" in out
    assert "crmtui.cli.mirror" in modules
    assert not [m for m in OTHERS if m in modules], modules


def test_other_commands_and_the_help_still_see_every_command() -> None:
    code, _, out = _run("get", "--help")  # added by crmtui.cli.records
    assert code == 0 and "record" in out
    code, _, out = _run("--help")
    assert code == 0
    for command in ("mirror", "list", "bulk", "copy", "find", "get"):
        assert command in out
    code, _, out = _run("mirror-nope")
    assert code == 2 and "invalid choice" in out and "mirror" in out
