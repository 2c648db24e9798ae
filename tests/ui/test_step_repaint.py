"""A cursor step repaints the rows it changed, not every scrollbar on screen (bytes over SSH)."""

from __future__ import annotations

from typing import Any

from textual._compositor import ChopsUpdate, LayoutUpdate

from .conftest import AppFactory
from .helpers import record_list, settle


async def test_a_cursor_step_leaves_the_scrollbars_alone(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        rows.focus()
        await settle(pilot)
        bar = rows.vertical_scrollbar.region
        assert bar.height > 20, "the list shows its scrollbar"
        painted: list[tuple[int, int, int]] = []
        display = app._display

        def spy(screen: Any, update: Any) -> None:
            if isinstance(update, ChopsUpdate):
                painted.extend(update.spans)
            elif isinstance(update, LayoutUpdate):  # the whole screen
                painted.extend((y, 0, app.size.width) for y in range(app.size.height))
            display(screen, update)

        app._display = spy  # type: ignore[method-assign,assignment]
        for _ in range(3):
            await pilot.press("down")
            await settle(pilot)
        assert rows.cursor == 3
        lines = {y for y, start, end in painted if start <= bar.x < end and bar.y <= y < bar.bottom}
        # the cursor's old and new rows only (their lines run through the scrollbar's column)
        assert len(lines) <= 4, f"scrollbar lines repainted: {sorted(lines)}"
