"""A record shown apart from the list (followed, jumped to) stays shown while rows arrive."""

from __future__ import annotations

from tests.fakes import FakeBackend

from .conftest import AppFactory
from .helpers import main_screen, record_list, screen_text, settle


async def test_rows_arriving_leave_a_record_shown_apart_in_place(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        main = main_screen(app)
        far = await backend.get("lead", "5000")
        main.show_apart(far, "It is not among the loaded rows")
        await settle(pilot)
        assert "Leads: First5000 Last005000" in screen_text(app)
        records = record_list(app)
        records.reload()  # the local copy finished and the list reloads, as f lands
        await settle(pilot)
        assert records.current is not None and records.current.id == "1"
        assert main.shown is not None and main.shown.id == "5000"
        assert "Leads: First5000 Last005000" in screen_text(app)
        await pilot.press("down")  # the cursor moves: the detail follows it again
        await settle(pilot)
        assert main.shown is not None and main.shown.id == "2"
        assert "Leads: First2 Last000002" in screen_text(app)
