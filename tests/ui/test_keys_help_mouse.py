"""Help grouped by where keys work, the vim preset, the mouse on the list."""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable

from crmtui.ui.keymap import check_keymap
from crmtui.ui.screens.help import HelpScreen
from crmtui.ui.screens.jump import JumpScreen

from .conftest import AppFactory
from .helpers import notified, record_list, settle


async def test_help_is_grouped_and_names_no_raw_action(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        cells = [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]
        described = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "Browser" in cells and "List" in cells and "Detail" in cells
        assert not any("_" in text and " " not in text for text in described), described
        assert all("help_quit" not in text for text in described)
        assert "Keys: Browser" in str(app.screen.query_one("#help-title").render())
        rows = app.screen.rows
        assert all(row.group for row in rows), [row for row in rows if not row.group]
        edit = next(row for row in rows if row.binding_id == "main.edit")
        assert edit.group == "Browser" and "e" in edit.keys


async def test_vim_preset_moves_with_j_k_g_and_shift_g(app_factory: AppFactory) -> None:
    app = app_factory(keymap={"preset": "vim"})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        await pilot.press("j", "j", "j", "k")
        await settle(pilot)
        assert rows.cursor == 2
        await pilot.press("G")
        await settle(pilot)
        assert rows.cursor == rows.row_count - 1
        await pilot.press("g")
        await settle(pilot)
        assert rows.cursor == 0
        await pilot.press("colon")
        await settle(pilot)
        assert isinstance(app.screen, JumpScreen)
        assert "Keymap" not in notified(app)


def test_an_unknown_preset_is_said_and_the_rest_kept() -> None:
    keymap, warnings = check_keymap({"preset": "emacs", "main.edit": "f4"}, {"main.edit": "e"})
    assert keymap == {"main.edit": "f4"}
    assert warnings and "emacs" in warnings[0] and "vim" in warnings[0]


async def test_a_click_selects_a_row_and_the_wheel_scrolls(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = record_list(app)
        await pilot.click(rows, offset=(5, 4))  # the header is line 0
        await settle(pilot)
        assert rows.cursor == 3
        for _ in range(3):
            rows.post_message(
                events.MouseScrollDown(rows, 5, 5, 0, 0, 0, False, False, False, screen_x=5)
            )
        await settle(pilot)
        assert rows.scroll_y > 0
