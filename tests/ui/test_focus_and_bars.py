"""The visual pass as a user sees it: the focused pane's title lights up; the bars read."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widgets import Static

from crmtui.ui.themes import register_themes
from crmtui.ui.widgets.record_list import RecordList

from .conftest import AppFactory
from .helpers import main_screen, settle

THEMES = ["crmtui-dark", "crmtui-light", "crmtui-high-contrast"]


def luminance(colour: Color) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour.rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def near(a: Color | None, b: Color) -> bool:
    """The same colour, give or take rounding."""
    return a is not None and all(abs(x - y) <= 3 for x, y in zip(a.rgb, b.rgb, strict=True))


async def test_the_focused_pane_title_takes_the_accent(app_factory: AppFactory) -> None:
    app = app_factory(theme="crmtui-dark")
    register_themes(app)
    async with app.run_test(size=(120, 36)) as pilot:
        app.theme = "crmtui-dark"
        await settle(pilot)
        accent_name = app.current_theme.accent
        assert accent_name is not None
        accent = Color.parse(accent_name)
        records = main_screen(app).query_one(RecordList)
        title = main_screen(app).query_one("#detail-title", Static)

        def header_colour() -> Color | None:
            colour = records.get_component_rich_style("record-list--header").color
            return None if colour is None else Color.from_rich_color(colour)

        def title_colour() -> Color | None:
            colour = title.rich_style.color
            return None if colour is None else Color.from_rich_color(colour)

        assert records.has_focus
        assert near(header_colour(), accent)
        assert not near(title_colour(), accent)
        await pilot.press("tab")  # the detail pane
        await settle(pilot)
        assert not records.has_focus
        assert not near(header_colour(), accent)
        assert near(title_colour(), accent)


@pytest.mark.parametrize("theme", THEMES)
async def test_the_header_bar_spans_the_width_and_reads(
    app_factory: AppFactory, theme: str
) -> None:
    app = app_factory()
    register_themes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await settle(pilot)
        header = main_screen(app).query_one("#header", Static)
        assert header.region.width == 80
        style = header.rich_style  # the colours as drawn ("auto" resolved)
        assert style.color is not None and style.bgcolor is not None
        colour, background = (
            Color.from_rich_color(style.color),
            Color.from_rich_color(style.bgcolor),
        )
        assert contrast(colour, background) >= 4.5, (theme, colour, background)
