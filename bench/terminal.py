"""A command in a real pseudo-terminal: bytes it writes, the screen they draw, minimal redraws."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import Any

REPO = Path(__file__).resolve().parent.parent
_ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")

pyte: Any
try:  # pyte renders the bytes as a terminal would; without it the screen is approximated.
    import pyte
except ImportError:  # pragma: no cover - depends on the environment
    pyte = None


def have_pyte() -> bool:
    """Whether the terminal emulator that diffs screens is installed."""
    return pyte is not None


def bench_env(data_dir: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment for a command under test: a plain xterm, the repo importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NO_COLOR"))}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    if data_dir is not None:
        env["CRMTUI_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


class Pty:
    """`argv` running in a pty of `size` columns x lines; everything it writes is kept."""

    def __init__(
        self, argv: Sequence[str], env: dict[str, str], size: tuple[int, int] = (120, 36)
    ) -> None:
        self.columns, self.lines = size
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.lines, self.columns, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=REPO,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()
        self.screen: Any = None
        self._stream: Any = None
        if pyte is not None:
            self.screen = pyte.Screen(self.columns, self.lines)
            self._stream = pyte.ByteStream(self.screen)
        self.arrived = self.started
        """When the last chunk `read` returned reached the terminal."""
        # A thread drains the pty as the command writes, stamping each chunk: the screen is
        # built from the chunks afterwards, so a slow emulator (pyte takes ~4 ms a KB) never
        # holds the command up at a full pty, nor delays the moment a frame counts as arrived.
        self._chunks: SimpleQueue[tuple[float, bytes]] = SimpleQueue()
        self._stop = threading.Event()
        self._drain = threading.Thread(target=self._drain_pty, name="pty-drain", daemon=True)
        self._drain.start()

    def _drain_pty(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the child has gone and closed the pty
                chunk = b""
            if not chunk:
                break
            self._chunks.put((time.perf_counter(), chunk))

    def read(self, timeout: float) -> bytes:
        """What arrived within `timeout` seconds (possibly nothing), one chunk as written."""
        try:
            self.arrived, chunk = self._chunks.get(timeout=timeout)
        except Empty:
            return b""
        self.output += chunk
        if self._stream is not None:
            self._stream.feed(chunk)
        return chunk

    def text(self) -> str:
        """The screen as text (or, without pyte, everything written with escapes removed)."""
        if self.screen is not None:
            return "\n".join(self.screen.display)
        return _ESCAPES.sub(b"", bytes(self.output)).decode("utf-8", "replace")

    def wait_for(self, needles: Sequence[str], timeout: float = 30.0) -> float:
        """Seconds from launch until the bytes that put every needle on screen arrived;
        TimeoutError otherwise."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            chunk = self.read(0.05)
            if chunk and all(n in self.text() for n in needles):
                return self.arrived - self.started
            if not chunk and self.proc.poll() is not None and self._chunks.empty():
                break
        tail = self.text()[-800:]
        raise TimeoutError(f"{needles} never appeared on screen; last output:\n{tail}")

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> int:
        """Read until nothing arrives for `quiet` seconds; returns the bytes read meanwhile."""
        count = 0
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            chunk = self.read(quiet)
            if not chunk:
                break
            count += len(chunk)
        return count

    def send(self, data: bytes) -> None:
        """Type `data` (keys as the terminal sends them)."""
        os.write(self.master, data)

    def close(self) -> None:
        """Stop the command (it is in its own session) and release the pty."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._stop.set()
        self._drain.join()
        os.close(self.master)

    def __enter__(self) -> Pty:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def python(*args: str) -> list[str]:
    """The argv for this interpreter with `args`."""
    return [sys.executable, *args]


Cells = list[list[Any]]


def snapshot(screen: Any) -> Cells:
    """Every cell of a pyte screen (character and attributes)."""
    return [[screen.buffer[y][x] for x in range(screen.columns)] for y in range(screen.lines)]


def _style(cell: Any) -> tuple[Any, ...]:
    return (cell.fg, cell.bg, cell.bold, cell.italics, cell.underscore, cell.reverse)


def _colour(value: str, base: int) -> str:
    if value == "default":
        return str(base + 9)
    if len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value):
        r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
        return f"{base + 8};2;{r};{g};{b}"
    return str(base + 7)  # a named colour: one digit pair, e.g. 37


def sgr_bytes(style: tuple[Any, ...]) -> int:
    """The length of the escape that sets `style` from scratch (reset first)."""
    fg, bg, bold, italics, underscore, reverse = style
    parts = ["0", _colour(fg, 30), _colour(bg, 40)]
    parts += [code for flag, code in ((bold, "1"), (italics, "3"), (underscore, "4")) if flag]
    if reverse:
        parts.append("7")
    return len(f"\x1b[{';'.join(parts)}m")


def minimal_redraw(before: Cells, after: Cells) -> tuple[int, int]:
    """(changed cells, bytes) of the cheapest redraw of `after` over `before`, roughly.

    For each line, changed cells are written in runs; a gap of unchanged cells is rewritten
    when that is cheaper than moving the cursor over it; a style escape is counted whenever the
    style differs from the previous written cell's.
    """
    changed_cells = 0
    total = 0
    pen: tuple[Any, ...] | None = None
    for y, (old, new) in enumerate(zip(before, after, strict=True)):
        changed = [x for x in range(len(new)) if old[x] != new[x]]
        changed_cells += len(changed)
        if not changed:
            continue
        last: int | None = None
        for x in changed:
            move = len(f"\x1b[{y + 1};{x + 1}H")
            if last is not None and x - last - 1 < move:
                span = range(last + 1, x + 1)  # bridge the short gap by rewriting it
            else:
                total += move
                span = range(x, x + 1)
            for col in span:
                cell = new[col]
                style = _style(cell)
                if style != pen:
                    total += sgr_bytes(style)
                    pen = style
                total += len(cell.data.encode("utf-8"))
            last = x
    return changed_cells, total
