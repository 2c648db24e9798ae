"""The virtual record list: paging as the user moves, placeholders, cancel, counts, sort."""

from __future__ import annotations

import re

from crmtui.model import Sort
from crmtui.ui.widgets.record_list import PLACEHOLDER, RecordList
from tests.fakes import FakeBackend

from .conftest import AppFactory
from .helpers import main_screen, notified, record_list, screen_text, settle, until


async def test_opening_shows_the_first_rows_and_an_honest_count(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Last000001" in text and "person1@example.com" in text
        assert "row 1 of 10,000" in text
        entity = main_screen(app).entity
        assert entity is not None and entity.name == "lead"


async def test_scrolling_to_row_5000_fetches_only_the_pages_it_passes(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        for _ in range(3):
            await pilot.press("pagedown")
        rows.scroll_to(y=4990, animate=False)  # as when the scroll bar is dragged
        await settle(pilot)
        await pilot.click(RecordList, offset=(3, 9))  # line 9: the 9th row shown, row 4,999
        await pilot.press("down", "down", "up")
        await settle(pilot)
        assert rows.cursor == 4999
        assert rows.current is not None and rows.current.id == "5000"
        assert "Last005000" in screen_text(app)
        # the detail pane follows once the cursor rests (a key held waits: `DETAIL_REST`)
        await until(pilot, lambda: "Leads: First5000 Last005000" in screen_text(app), 5)
        assert len(rows.rows) < 1_000
        offsets = [offset for _, _, offset, _ in backend.calls]
        assert len(offsets) == len(set(offsets))  # no page fetched twice
        assert 4900 in offsets and max(offsets) <= 5100  # what is seen, plus a screen ahead


async def test_end_jumps_without_fetching_the_middle(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        rows = record_list(app)
        assert rows.current is not None and rows.current.id == "10000"
        assert "Last010000" in screen_text(app)
        assert sorted({offset for _, _, offset, _ in backend.calls}) == [0, 9900]
        assert "row 10,000 of 10,000" in screen_text(app)


async def test_placeholders_then_escape_cancels_and_keys_still_work(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        backend.delay = 30.0  # a vendor that never answers
        rows = record_list(app)
        await pilot.press("end")
        await pilot.pause()
        assert rows.pending_pages >= 1
        assert PLACEHOLDER in screen_text(app)
        assert "loading" in screen_text(app)
        await pilot.press("up", "up")  # keys work while loading
        assert rows.cursor == 9997
        await pilot.press("escape")
        await settle(pilot)
        assert rows.pending_pages == 0
        assert "Loading cancelled" in notified(app)
        assert "loading 1 page" not in screen_text(app)


async def test_unknown_total_is_labelled_with_a_plus(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    backend.give_total = False
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "100+" in screen_text(app)
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        await settle(pilot)
        # How far ahead pages are fetched depends on how fast they came: more, still with a plus.
        counts = [int(n.replace(",", "")) for n in re.findall(r"(\d[\d,]*)\+", screen_text(app))]
        assert counts and max(counts) >= 200, counts


async def test_sort_by_the_selected_column_on_the_server(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("right", "s")  # the second column: last name
        await settle(pilot)
        assert backend.calls[-1][1].sort == Sort("last_name")
        assert "Last name ▲" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert backend.calls[-1][1].sort == Sort("last_name", descending=True)
        rows = record_list(app)
        assert rows.current is not None and rows.current.id == "10000"
        assert "Last name ▼" in screen_text(app)


async def test_sort_where_the_vendor_cannot_says_so(app_factory: AppFactory) -> None:
    app = app_factory()
    backend = FakeBackend(100)
    backend.capabilities = frozenset()  # type: ignore[misc]
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        main_screen(app).session.backend = backend
        main_screen(app).open_entity("lead")
        await settle(pilot)
        calls = len(backend.calls)
        await pilot.press("s")
        await settle(pilot)
        assert "cannot be sorted by the vendor" in notified(app)
        assert len(backend.calls) == calls  # nothing was re-fetched or sorted locally
