"""Columns at 80x24: scrolled to the selected one, widths from the content, keys and clicks."""

from __future__ import annotations

from collections.abc import Callable

from crmtui.model import Sort
from crmtui.ui.app import CrmApp
from crmtui.ui.prefs import Prefs, load_prefs
from crmtui.ui.screens.columns import ColumnsScreen
from crmtui.ui.widgets.record_list import RecordList
from tests.fakes import FakeBackend

from .helpers import record_list, screen_text, settle

AppFactory = Callable[..., CrmApp]
SMALL = (80, 24)


async def test_selecting_a_column_off_screen_scrolls_it_into_view(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        rows = record_list(app)
        assert "Created" not in rows.render_line(0).text  # off to the right at 80 columns
        await pilot.press(*["right"] * 5)
        await pilot.pause()
        header = rows.render_line(0).text
        assert "Created" in header and header.startswith("‹")
        assert rows.first_column > 0
        await pilot.press("s")  # sorts by the column the user can see selected
        await settle(pilot)
        assert backend.calls[-1][1].sort == Sort("created")
        await pilot.press(*["left"] * 5)
        await pilot.pause()
        assert rows.render_line(0).text.startswith("First name") and rows.first_column == 0


async def test_widths_fit_the_content_and_the_space(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        widths = dict(zip([c.name for c in rows.columns], rows.widths(), strict=True))
        assert widths["status"] == len("Status") + 2  # "won", "open": narrower than 16
        assert widths["email"] == len("person100@example.com")  # the widest loaded: over 16
        line = rows.render_line(1).text
        assert "person1@example.com" in line and "…" not in line


async def test_resize_move_and_hide_the_selected_column(
    app_factory: AppFactory, prefs: Prefs
) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        before = rows.widths()[0]
        await pilot.press("greater_than_sign", "greater_than_sign")
        assert rows.widths()[0] == before + 4
        await pilot.press("less_than_sign")
        assert rows.widths()[0] == before + 2
        await pilot.press("right_square_bracket")  # first name after last name
        await pilot.pause()
        names = [c.name for c in rows.columns]
        assert names[:2] == ["last_name", "first_name"] and rows.column == 1
        assert rows.render_line(0).text.startswith("Last name")
        await pilot.press("minus")  # hide first name
        await pilot.pause()
        names = [c.name for c in rows.columns]
        assert "first_name" not in names
        assert prefs.path is not None
        assert load_prefs(prefs.path.parent).columns("test", "lead") == names


async def test_clicking_a_header_sorts_by_that_column(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        x = rows.render_line(0).text.index("Email")
        await pilot.click(rows, offset=(x + 1, 0))
        await settle(pilot)
        assert backend.calls[-1][1].sort == Sort("email")
        assert "Email ▲" in rows.render_line(0).text
        await pilot.click(rows, offset=(x + 1, 0))
        await settle(pilot)
        assert backend.calls[-1][1].sort == Sort("email", descending=True)


async def test_the_chooser_ticks_with_a_glyph_in_the_16_colour_theme(
    app_factory: AppFactory,
) -> None:
    app = app_factory(theme="crmtui-ansi16")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ColumnsScreen)
        text = screen_text(app)
        assert "[x] First name" in text and "[ ] Notes" in text
        await pilot.press("space")
        await pilot.pause()
        assert "[ ] First name" in screen_text(app)


def highlighted(rows: RecordList) -> str:
    """The header's text drawn in the selected column's style (reverse)."""
    header = rows.render_line(0)
    return "".join(s.text for s in header if s.style is not None and s.style.reverse).strip()


async def test_the_selected_columns_header_is_lit_while_the_list_has_focus(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        rows = record_list(app)
        assert rows.has_focus
        first, second = (c.label for c in rows.columns[:2])
        assert highlighted(rows) == first
        await pilot.press("right")
        await pilot.pause()
        assert highlighted(rows) == second
        await pilot.press("tab")  # the focus leaves the list: no column is selected
        await pilot.pause()
        assert not rows.has_focus and highlighted(rows) == ""
        rows.focus()
        await pilot.pause()
        assert highlighted(rows) == second
