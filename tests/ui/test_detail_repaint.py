"""The detail pane repaints sparingly: changed lines only, the highlight kept, wraps on resize."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region

from crmtui.ui.widgets import related
from crmtui.ui.widgets.detail import DetailFields, DetailPane
from crmtui.ui.widgets.related import RelatedPanel
from tests.fakes import FIELDS, LEAD, ada


class PaneApp(App[None]):
    """Just a detail pane."""

    def compose(self) -> ComposeResult:
        yield DetailPane(id="detail")


def lines(fields: DetailFields) -> list[str]:
    """The field list as the user sees it, line by line."""
    return [fields.render_line(y).text.rstrip() for y in range(fields.size.height)]


def spy_refreshes(fields: DetailFields) -> list[Region]:
    """Regions the field list asks to repaint from now on (a full repaint records its size)."""
    seen: list[Region] = []
    original = fields.refresh

    def refresh(*regions: Region, **kwargs: Any) -> DetailFields:
        seen.extend(regions or [fields.size.region])
        return original(*regions, **kwargs)

    fields.refresh = refresh  # type: ignore[method-assign]
    return seen


def painted_rows(regions: list[Region]) -> set[int]:
    return {y for region in regions for y in range(region.y, region.bottom)}


async def test_another_record_repaints_only_the_lines_whose_value_changed() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        fields = pane.options
        before = lines(fields)
        seen = spy_refreshes(fields)
        other = ada()
        other.values["email"] = "grace@example.com"
        pane.show(other, FIELDS, LEAD)
        await pilot.pause()
        after = lines(fields)
        changed = {y for y, (old, new) in enumerate(zip(before, after, strict=True)) if old != new}
        assert any("grace@example.com" in line for line in after)
        assert changed and painted_rows(seen) == changed  # the email value line, nothing else


async def test_moving_the_highlight_repaints_the_two_fields_only() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        fields = pane.options
        fields.focus()
        await pilot.pause()
        seen = spy_refreshes(fields)
        await pilot.press("down")
        assert pane.selected_field is not None and pane.selected_field.name == "first_name"
        assert painted_rows(seen) == {0, 1, 2, 3}  # Id and First name: label and value each


async def test_the_highlighted_field_stays_when_the_next_record_shows() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        pane.options.focus()
        await pilot.press("end")
        assert pane.selected_field == FIELDS[-1]
        other = ada()
        other.values["cf_region"] = "North"
        pane.show(other, FIELDS, LEAD)
        await pilot.pause()
        assert pane.selected_field == FIELDS[-1]
        await pilot.press("c")
        assert app.clipboard == "North"
        await pilot.press("home", "c")
        assert app.clipboard == "L-1"


async def test_the_highlight_scrolls_into_view_and_a_click_picks_a_field() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 12)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        fields = pane.options
        fields.focus()
        await pilot.press("end")
        await pilot.pause()
        assert any("Region" in line for line in lines(fields))
        assert not any(line.strip() == "Id" for line in lines(fields))
        await pilot.press("home")
        await pilot.pause()
        assert lines(fields)[0].strip() == "Id"
        await pilot.click(DetailFields, offset=(3, 2))  # the label line of the second field
        assert pane.selected_field is not None and pane.selected_field.name == "first_name"


async def test_a_narrower_pane_wraps_the_values_anew() -> None:
    record = ada()
    record.values["notes"] = "word " * 30
    app = PaneApp()
    async with app.run_test(size=(80, 80)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(record, FIELDS, LEAD)
        await pilot.pause()
        wide = [line for line in lines(pane.options) if "word" in line]
        await pilot.resize_terminal(40, 80)
        await pilot.pause()
        narrow = [line for line in lines(pane.options) if "word" in line]
        assert len(narrow) > len(wide)
        assert all(len(line) <= 40 for line in narrow)
        assert sum(line.count("word") for line in narrow) == 30


async def test_a_title_that_needs_more_lines_pushes_the_fields_down() -> None:
    app = PaneApp()
    async with app.run_test(size=(40, 40)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        title = pane.query_one("#detail-title")
        assert title.size.height == 1
        long = ada()
        long.values["last_name"] = "Lovelace-Byron King of Ockham and Somewhere"
        pane.show(long, FIELDS, LEAD)
        await pilot.pause()
        assert title.size.height > 1
        assert pane.options.region.y == title.region.bottom  # nothing hidden under the title
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        assert title.size.height == 1


async def test_labels_are_bold_and_the_custom_mark_italic() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        styles = {
            segment.text.strip(): segment.style
            for y in range(pane.options.size.height)
            for segment in pane.options.render_line(y)
            if segment.text.strip()
        }
        assert styles["Email"] is not None and styles["Email"].bold
        assert styles["ada@example.com"] is not None and not styles["ada@example.com"].bold
        assert styles["◆ custom"] is not None and styles["◆ custom"].italic


async def test_a_value_that_changes_at_its_end_repaints_only_those_cells() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(ada(), FIELDS, LEAD)
        await pilot.pause()
        fields = pane.options
        seen = spy_refreshes(fields)
        other = ada()
        other.values["email"] = "ada@example.org"  # "com" -> "org"
        pane.show(other, FIELDS, LEAD)
        await pilot.pause()
        assert any(line.strip() == "ada@example.org" for line in lines(fields))
        column = 1 + 2 + len("ada@example.")  # padding, indent, the unchanged start
        assert [(r.x, r.width) for r in seen] == [(column, 3)]


async def test_a_record_taller_than_the_pane_is_laid_out_and_painted_once() -> None:
    """Its scroll bar appearing takes no width from the values: no rewrap, no second paint of
    every line (a few KB more over SSH at every record that needs the bar)."""
    app = PaneApp()
    async with app.run_test(size=(80, 12)) as pilot:
        pane = app.query_one(DetailPane)
        fields = pane.options
        layouts: list[int] = []
        relayout = fields._relayout

        def counted() -> None:
            layouts.append(fields.scrollable_content_region.width)
            relayout()

        fields._relayout = counted  # type: ignore[method-assign]
        pane.show(ada(), FIELDS, LEAD)
        for _ in range(3):
            await pilot.pause()
        assert fields.show_vertical_scrollbar  # the record is taller than the pane
        assert len(layouts) == 1, layouts


class NothingRelated:
    """A backend whose records have nothing tied to them."""

    async def related(self, entity: str, record_id: str) -> list[Any]:
        return []


class RelatedApp(App[None]):
    """Just the related-records panel."""

    def compose(self) -> ComposeResult:
        yield RelatedPanel(id="related")


async def test_nothing_related_lays_nothing_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hidden panel that stays hidden asks for no new layout: each one repaints the panes'
    scroll bars (a few KB over SSH) while the screen looks the same."""
    monkeypatch.setattr(related, "DELAY", 0.01)
    app = RelatedApp()
    async with app.run_test(size=(80, 12)) as pilot:
        panel = app.query_one(RelatedPanel)
        panel.backend = NothingRelated()  # type: ignore[assignment]
        layouts: list[dict[str, Any]] = []
        original = panel.refresh

        def refresh(*regions: Region, **kwargs: Any) -> RelatedPanel:
            if kwargs.get("layout"):
                layouts.append(kwargs)
            return original(*regions, **kwargs)

        panel.refresh = refresh  # type: ignore[method-assign]
        panel.follow(ada())
        await pilot.pause(0.05)  # the timer fires, the load starts
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not panel.display
        assert layouts == []
