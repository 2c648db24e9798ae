"""Paging down fetches screens ahead, so held page-down finds its rows; a row at a time does not."""

from __future__ import annotations

from crmtui.ui.widgets.record_prefetch import AHEAD
from tests.fakes import FakeBackend

from .conftest import AppFactory
from .helpers import record_list, settle


async def test_page_down_fetches_screens_ahead_in_the_way_it_goes(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        await pilot.press("down")
        await settle(pilot)
        assert {offset for _, _, offset, _ in backend.calls} == {0}  # a row: nothing more
        await pilot.press("pagedown")
        await settle(pilot)
        visible = rows.size.height - 1
        deepest = rows.cursor + AHEAD * visible
        offsets = {offset for _, _, offset, _ in backend.calls}
        assert max(offsets) == deepest // 100 * 100 and deepest >= 100, (offsets, rows.cursor)
        assert all(rows.record_at(i) is not None for i in range(rows.cursor, deepest))


async def test_paging_fast_to_the_end_of_a_list_without_a_total_stops_at_its_last_row(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    """Pages fetched ahead past the end come back empty, after the short last page or before."""
    backend.data["lead"] = backend.data["lead"][:250]
    backend.give_total, backend.delay = False, 0.3
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        await pilot.press(*["pagedown"] * 5)  # faster than the pages come: fetched far ahead
        await settle(pilot)
        assert max(offset for _, _, offset, _ in backend.calls) > 250  # asked past the end
        await pilot.press("end")
        assert (rows.row_count, rows.cursor) == (250, 249)
        assert rows.current is not None and rows.current.id == "250"
