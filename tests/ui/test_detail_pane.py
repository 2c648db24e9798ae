"""The detail pane and the delete dialog: literal values, system names, copy, typed confirmation."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button

from crmtui.model import FieldSpec
from crmtui.ui.screens.dialogs import DeleteScreen
from crmtui.ui.widgets.detail import DetailPane
from tests.fakes import FIELDS, LEAD, Host, ada


class PaneApp(App[None]):
    """Just a detail pane."""

    def compose(self) -> ComposeResult:
        yield DetailPane(id="detail")


def pane_text(pane: DetailPane) -> str:
    """What the pane shows, line by line, as plain text."""
    options = pane.options
    lines = [options.render_line(y).text for y in range(options.size.height)]
    title = pane.query_one("#detail-title").render_line(0).text
    return "\n".join([title, *lines])


async def test_every_field_with_its_label_custom_marked_and_system_names_on_demand() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 80)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        text = pane_text(pane)
        assert "Lead: Ada Lovelace" in text
        for spec in FIELDS:
            assert spec.label in text
        assert "Region ◆ custom" in text
        assert "ada@example.com" in text and "1815-12-10" in text and "New" in text
        assert "cf_region" not in text and "first_name" not in text

        pane.options.focus()
        await pilot.press("s")
        text = pane_text(pane)
        assert "Region ◆ custom  cf_region" in text
        assert "First name  first_name" in text
        await pilot.press("s")
        assert "first_name" not in pane_text(pane)


async def test_long_text_wraps_within_the_pane() -> None:
    record = ada()
    record.values["notes"] = "word " * 60
    app = PaneApp()
    async with app.run_test(size=(50, 80)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(record, FIELDS, LEAD)
        await pilot.pause()
        lines = [line for line in pane_text(pane).splitlines() if "word" in line]
        assert len(lines) >= 5  # wrapped over several lines, none cut off
        assert sum(line.count("word") for line in lines) == 60


async def test_copy_puts_the_selected_value_on_the_clipboard() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 80)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        pane.options.focus()
        pane.options.highlighted = [f.name for f in FIELDS].index("email")
        await pilot.press("c")
        assert app.clipboard == "ada@example.com"
        await pilot.press("down", "c")  # phone
        assert app.clipboard == "+44 20 7946 0000"


async def test_markup_and_control_characters_display_literally() -> None:
    record = ada()
    record.values["first_name"] = "[bold]Eve[/oops]"
    record.values["last_name"] = "[@click=app.quit]x\x1b]0;pwned\x07"
    record.values["notes"] = "line1\r\nline2 \x1b[31mred\x9b"
    record.values["extra_from_vendor"] = "[red]kept[/red]"
    app = PaneApp()
    async with app.run_test(size=(100, 80)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(record, [*FIELDS, FieldSpec("[b]odd[/b]", "[i]Odd label")], LEAD)
        await pilot.pause()
        text = pane_text(pane)
        assert "[bold]Eve[/oops]" in text
        assert "[@click=app.quit]x␛]0;pwned␇" in text
        assert "line2 ␛[31mred<U+009B>" in text
        assert "[red]kept[/red]" in text  # undescribed values still show, literally
        assert "[i]Odd label" in text
        assert "\x1b" not in text and "\x07" not in text
        assert app.is_running  # no markup action ran
        pane.options.focus()
        pane.options.highlighted = [f.name for f in FIELDS].index("last_name")
        await pilot.press("c")
        assert "\x1b" not in app.clipboard


async def test_showing_none_clears_the_pane() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 40)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        pane.show(None, FIELDS, LEAD)
        await pilot.pause()
        assert "No record selected" in pane_text(pane)
        assert "Ada" not in pane_text(pane)
        assert pane.selected_field is None


def delete_host(label: str, record_id: str) -> Host:
    return Host(lambda: DeleteScreen(label, record_id))


async def test_delete_confirms_only_when_the_id_is_typed() -> None:
    app = delete_host("Ada Lovelace", "L-1")
    async with app.run_test() as pilot:
        await pilot.press(*"L-2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DeleteScreen)
        assert app.screen.query_one("#delete", Button).disabled
        assert app.results == []
        await pilot.press("backspace", "1")
        assert not app.screen.query_one("#delete", Button).disabled
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [True]


async def test_delete_accepts_the_name_in_any_case() -> None:
    app = delete_host("Ada Lovelace", "L-1")
    async with app.run_test() as pilot:
        await pilot.press(*"ada lovelace", "enter")
        await pilot.pause()
        assert app.results == [True]


async def test_delete_escape_cancels() -> None:
    app = delete_host("Ada Lovelace", "L-1")
    async with app.run_test() as pilot:
        await pilot.press(*"L-1", "escape")
        await pilot.pause()
        assert app.results == [False]


async def test_delete_dialog_shows_a_hostile_name_literally() -> None:
    app = delete_host("[bold]Eve[/oops]\x1b]0;x\x07", "L-9")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        title = app.screen.query_one(".dialog-title").render_line(0).text
        assert "[bold]Eve[/oops]␛]0;x␇" in title
        assert app.is_running


async def test_help_lists_the_bindings_of_the_pane_on_the_screen_below() -> None:
    from crmtui.ui.screens.help import HelpScreen

    app = PaneApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(HelpScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        rows = {row.binding_id: row for row in screen.rows}
        assert rows["detail.copy"].keys == "c"
        assert rows["detail.system_names"].keys == "s"
        assert rows["detail.copy"].where == "DetailPane"
