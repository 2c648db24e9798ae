"""At 80x24 a find unfolds the detail under the list, and the matched row stays in sight."""

from __future__ import annotations

from .conftest import AppFactory
from .helpers import main_screen, record_list, screen_text, settle


def list_lines(text: str, rows: int) -> str:
    """The lines of the screen the list takes (the detail pane is under it)."""
    return "\n".join(text.splitlines()[: rows + 2])


async def test_the_match_is_on_screen_once_the_detail_unfolds(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Last000015", "enter")
        await settle(pilot)
        rows = record_list(app)
        assert rows.current is not None and rows.current.id == "15"
        assert main_screen(app).has_class("-show-detail")  # the folded detail opened
        top, shown = int(rows.scroll_offset.y), rows.size.height - 1
        assert top <= rows.cursor < top + shown, "the cursor row is under the detail pane"
        assert "Last000015" in list_lines(screen_text(app), rows.size.height)
