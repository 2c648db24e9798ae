"""Start-up: `crmtui --demo` to its first interactive screen, against a bare Textual app.

Both run in a real pty, interleaved, in the same run; the ratio of the medians is printed (and
written to $CRMTUI_E2E_TRANSCRIPT/startup.txt). The bare app is a header, a table of rows and a
footer; crmtui counts as interactive once its lead list shows the count of the first page.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from crmtui.cli.main import names_command

from .terminal import CRMTUI, Pty, base_env

BARE_APP = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("First Name", "Last Name", "Email", "Status")
        table.add_rows((f"bare row {i}", "Last", f"r{i}@example.test", "New") for i in range(40))
        table.focus()

Bare().run()
"""
EAGER = (
    "import sys; from crmtui.cli import main as m; "
    "m.names_command = lambda argv: True; sys.exit(m.main(sys.argv[1:]))"
)  # as before the lazy imports: every command module imported first
RUNS = 2


def _launch(argv: list[str], needle: bytes, env: dict[str, str]) -> float:
    started = time.monotonic()
    term = Pty(argv, env, (120, 36))
    try:
        term.wait_for(needle, timeout=60)
        return time.monotonic() - started
    finally:
        term.close()


def test_the_tui_path_skips_the_command_modules() -> None:
    assert not names_command(["--demo", "-p", "demo-leadsquared", "--low-bandwidth"])
    assert names_command(["--demo", "edit", "lead", "a@b.test"])
    assert names_command(["--profile", "edit"]) is False  # a profile named like a command
    assert names_command(["--help"])
    code = (
        "import sys; from crmtui.cli.main import build_parser; "
        "build_parser(commands=False).parse_args(['--demo']); "
        "print(sorted(m for m in sys.modules if m.startswith('crmtui.cli.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "crmtui.cli.records" not in done.stdout and "crmtui.cli.edit_cmd" not in done.stdout


def test_startup_against_a_bare_textual_app(demo_dir: Path) -> None:
    env = base_env(demo_dir, TERM="xterm-256color")
    ours: list[float] = []
    eager: list[float] = []
    bare: list[float] = []
    _launch([*CRMTUI, "--demo"], b"of 10,000", env)  # warm-up: caches, and a seeded store
    for _ in range(RUNS):
        bare.append(_launch([sys.executable, "-c", BARE_APP], b"bare row 0", env))
        ours.append(_launch([*CRMTUI, "--demo"], b"of 10,000", env))
        eager.append(_launch([sys.executable, "-c", EAGER, "--demo"], b"of 10,000", env))
    o, e, b = (statistics.median(x) for x in (ours, eager, bare))
    report = (
        f"start-up to first interactive screen (median of {RUNS}, interleaved)\n"
        f"bare Textual app              {b:.2f} s\n"
        f"crmtui --demo                 {o:.2f} s   ratio {o / b:.2f}\n"
        f"crmtui --demo, eager imports  {e:.2f} s   ratio {e / b:.2f}\n"
    )
    print(report)
    target = os.environ.get("CRMTUI_E2E_TRANSCRIPT")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        (Path(target) / "startup.txt").write_text(report)
    assert o / b < 6  # generous: two shared cores; the figure is the report
