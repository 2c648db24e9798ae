"""The record list over compact pages: rows unchanged after scrolling far, filter, cheap steps."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.strip import Strip

from crmtui.ui.widgets.record_list import RecordList

from .conftest import AppFactory
from .helpers import record_list, screen_text, settle


async def scroll_far(pilot: Pilot[Any], rows: RecordList, pages: int) -> None:
    """Page down until `pages` pages of 100 rows are loaded (the early ones long evicted)."""
    while len(rows.rows) < pages * 100:
        await pilot.press("pagedown")
        await settle(pilot, rounds=1)


async def test_rows_come_back_unchanged_after_their_page_was_compacted(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        first = rows.current
        assert first is not None and first.id == "1"
        await scroll_far(pilot, rows, 12)
        assert "Last000001" not in screen_text(app)
        await pilot.press("home")
        await settle(pilot)
        back = rows.current
        assert back is not None and back is not first  # decoded again from the compact page
        assert (back.id, back.values) == (first.id, first.values)
        assert "Last000001" in screen_text(app) and "person1@example.com" in screen_text(app)
        assert "Leads: First1 Last000001" in screen_text(app)  # the detail pane too


async def test_local_filter_finds_a_row_on_a_compacted_page(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        await scroll_far(pilot, rows, 12)
        loaded = len(rows.rows)
        rows.filter_loaded("person7@")
        await settle(pilot)
        assert rows.view is not None and len(rows.view) == 1
        assert rows.current is not None and rows.current.id == "7"
        assert loaded >= 1_200  # the filter went over every loaded (compacted) page
        assert "Last000007" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert rows.view is None and rows.current is not None and rows.current.id == "1"


async def test_a_cursor_step_repaints_only_the_two_rows_it_changes(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        await pilot.press("down", "down")
        await settle(pilot)
        painted: list[int] = []
        render = rows.render_line

        def counting(y: int) -> Strip:
            painted.append(y)
            return render(y)

        rows.render_line = counting  # type: ignore[method-assign]
        await pilot.press("down")
        await settle(pilot)
        assert sorted(set(painted)) == [3, 4]  # rows 2 and 3 under the header, nothing else
        painted.clear()
        await pilot.press("pagedown")  # a scroll repaints the list, as it must
        await settle(pilot)
        assert len(set(painted)) > 20
