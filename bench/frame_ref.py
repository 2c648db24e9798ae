"""The floor under "key to result on screen": bare Textual apps drawing the same kind of frame.

`jump`: the start-up reference (a header, a DataTable and a footer) with 2,000 rows, at the find
rows' size. A key moves the cursor to a far row, and the time runs until the frame showing it is
turned into terminal bytes (as the find rows time ours). No query at all: what is left is
Textual drawing a jumped-to screen.

`repaint`: the least any Textual app can do to put a new screenful up: one Static filling the
screen, whose whole text a key replaces (no table, no styles, no query).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, ClassVar

from bench.core import median

TARGETS = (1_650, 730, 1_210, 1_830, 290, 1_410, 960)


async def jump_seconds(size: tuple[int, int], rounds: int) -> list[float]:
    """Seconds from the key to the encoded frame with the far row under the cursor, each round."""
    from textual.binding import Binding, BindingType
    from textual.widgets import DataTable

    from bench.bare_app import BareApp

    class Bare(BareApp):
        """The start-up reference, with more rows and a key that jumps far."""

        BINDINGS: ClassVar[list[BindingType]] = [Binding("j", "jump", "Jump")]
        ROWS = 2_000
        target = 0

        def action_jump(self) -> None:
            self.query_one(DataTable).move_cursor(row=self.target, animate=False)

    app = Bare()
    tables: list[DataTable[Any]] = []

    def aim(i: int) -> None:
        tables[:] = tables or [app.query_one(DataTable)]  # looked up once, not in the timing
        app.target = TARGETS[i % len(TARGETS)]

    def landed() -> bool:
        return bool(tables[0].cursor_row == app.target)

    return await key_to_frame(app, size, rounds, aim, landed)


async def repaint_seconds(size: tuple[int, int], rounds: int) -> list[float]:
    """Seconds from the key to the encoded frame of a new screenful of text, each round."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding, BindingType
    from textual.widgets import Static

    width, height = size

    def screenful(n: int) -> str:
        return "\n".join(
            f"{n:>3} {row:>5} " + f"lead{n * 7 + row}@example.test " * 6 for row in range(height)
        )[: width * height]

    class Bare(App[None]):
        """One Static filling the screen; `j` puts up the next screenful."""

        BINDINGS: ClassVar[list[BindingType]] = [Binding("j", "next", "Next")]
        shown = 0

        def compose(self) -> ComposeResult:
            yield Static(screenful(0))

        def action_next(self) -> None:
            self.shown += 1
            self.query_one(Static).update(screenful(self.shown))

    app = Bare()
    wanted = [0]

    def aim(i: int) -> None:
        wanted[0] = app.shown + 1

    return await key_to_frame(app, size, rounds, aim, lambda: app.shown == wanted[0])


async def key_to_frame(
    app: Any,
    size: tuple[int, int],
    rounds: int,
    aim: Callable[[int], None],
    landed: Callable[[], bool],
) -> list[float]:
    """Seconds from `j` to the frame, turned into terminal bytes, in which `landed()` holds,
    for each of `rounds` rounds (`aim(i)` sets round i up; one more round first, uncounted,
    warms the caches)."""
    from textual import events

    samples: list[float] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        marks: dict[str, float] = {}
        display = app._display

        def show(screen: Any, update: Any) -> None:
            if update is not None and hasattr(update, "render_segments"):
                update.render_segments(app.console)
            display(screen, update)
            if "start" in marks and landed():
                marks.setdefault("shown", time.perf_counter())

        app._display = show
        for i in range(rounds + 1):
            aim(i)
            marks.clear()
            marks["start"] = time.perf_counter()
            app.post_message(events.Key("j", "j"))
            limit = marks["start"] + 10
            while "shown" not in marks and time.perf_counter() < limit:
                await asyncio.sleep(0.0005)
            if "shown" in marks and i:
                samples.append(marks["shown"] - marks["start"])
            await pilot.pause(0.2)
    return samples


def measure(size: tuple[int, int], rounds: int) -> float:
    """The median seconds of `rounds` jumps."""
    return median(asyncio.run(jump_seconds(size, rounds)))


def measure_repaint(size: tuple[int, int], rounds: int) -> float:
    """The median seconds of `rounds` new screenfuls in the barest Textual app."""
    return median(asyncio.run(repaint_seconds(size, rounds)))


if __name__ == "__main__":
    print(f"jump {measure((120, 40), 5) * 1000:.1f} ms")
    print(f"repaint {measure_repaint((120, 40), 5) * 1000:.1f} ms")
