"""The demo's main screen in real terminals: sizes, TERM values, colour modes, tmux and screen.

Every variant runs at once in its own tmux session (concurrently, to keep the run short); each
screen must hold the header, the first leads and the footer's keys, with no stray escape codes.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import demo_leads
from .terminal import CRMTUI, Tmux, base_env, need, shell_command


@dataclass(frozen=True)
class Variant:
    """One terminal to try."""

    name: str
    size: tuple[int, int]
    env: dict[str, str] = field(default_factory=dict)
    in_screen: bool = False


VARIANTS = [
    Variant("xterm-80x24", (80, 24), {"TERM": "xterm"}),
    Variant("screen-term-80x24", (80, 24), {"TERM": "screen"}),
    Variant("xterm-256color-200x60", (200, 60), {"TERM": "xterm-256color"}),
    Variant("truecolor-120x36", (120, 36), {"TERM": "xterm-256color", "COLORTERM": "truecolor"}),
    Variant("no-color-80x24", (80, 24), {"NO_COLOR": "1"}),
    Variant("tmux-own-term-200x60", (200, 60)),  # TERM=tmux-256color, as tmux sets it
    Variant("gnu-screen-80x24", (80, 24), in_screen=True),
    Variant("gnu-screen-200x60", (200, 60), in_screen=True),
]
FOOTER_KEYS = ("/ Search", "e Edit", "^p palette")
STRAY = re.compile(r"\x1b|\[\?\d|\d;\d+m|\^\[")
SGR = re.compile(r"\x1b\[([0-9;]*)m")
GREYS = {0, 7, 8, 15, 16, 231, *range(232, 256)}


def hues(styled: str) -> set[str]:
    """Every non-grey colour in SGR sequences (NO_COLOR leaves Textual's monochrome greys)."""
    found: set[str] = set()
    for params in SGR.findall(styled):
        parts = [int(p) if p.isdigit() else 0 for p in params.split(";")]
        i = 0
        while i < len(parts):
            code = parts[i]
            if code in (38, 48) and parts[i + 1 : i + 2] == [2] and i + 4 < len(parts):
                r, g, b = parts[i + 2 : i + 5]
                if max(r, g, b) - min(r, g, b) > 2:
                    found.add(f"{r},{g},{b}")
                i += 5
            elif code in (38, 48) and parts[i + 1 : i + 2] == [5] and i + 2 < len(parts):
                if parts[i + 2] not in GREYS:
                    found.add(f"256:{parts[i + 2]}")
                i += 3
            else:
                if 31 <= code <= 36 or 41 <= code <= 46 or 91 <= code <= 96:
                    found.add(f"ansi:{code}")
                i += 1
    return found


def _command(variant: Variant, data: Path, screenrc: Path) -> str:
    env = base_env(data, **variant.env)
    if "TERM" not in variant.env:
        env.pop("TERM", None)  # keep what tmux (or screen) sets
    line = shell_command([*CRMTUI, "--demo"], env)
    if variant.in_screen:
        screen = need("screen")
        line = shlex.join([screen, "-q", "-c", str(screenrc), "sh", "-c", line])
    return line


def test_main_screen_is_complete_in_every_terminal(tmux: Tmux, demo_dir: Path) -> None:
    screenrc = demo_dir.parent / "screenrc"
    # autodetach off: when the tmux server goes, screen ends with it (by default it detaches
    # and keeps the demo running, a leftover process per run)
    screenrc.write_text("startup_message off\nhardstatus off\nvbell off\nautodetach off\n")
    if any(v.in_screen for v in VARIANTS):
        need("screen")
    leads = demo_leads(demo_dir, 3)
    for variant in VARIANTS:
        tmux.start(variant.name, _command(variant, demo_dir, screenrc), size=variant.size)
    problems: list[str] = []
    for variant in VARIANTS:
        wanted = ["CMDataManager (demo)", *FOOTER_KEYS, *(lead.last_name for lead in leads)]
        try:
            screen = tmux.wait_for(variant.name, wanted, timeout=90)
        except AssertionError as exc:
            problems.append(f"{variant.name}: {exc}")
            continue
        tmux.record(variant.name, variant.name)
        lines = screen.rstrip("\n").split("\n")
        columns, rows = variant.size
        if len(lines) > rows or max(len(line) for line in lines) > columns:
            problems.append(f"{variant.name}: the screen overflows {columns}x{rows}")
        if "crmtui" not in lines[0] or "^p palette" not in lines[-1]:
            problems.append(f"{variant.name}: header or footer not on the first/last line")
        if STRAY.search(screen):
            problems.append(f"{variant.name}: escape codes shown as text:\n{screen}")
        if variant.env.get("NO_COLOR"):
            styled = tmux.run("capture-pane", "-p", "-e", "-t", variant.name)
            if hues(styled):
                problems.append(f"{variant.name}: colours {hues(styled)} despite NO_COLOR")
    print("\n\n".join(tmux.transcript))
    assert not problems, "\n\n".join(problems)
