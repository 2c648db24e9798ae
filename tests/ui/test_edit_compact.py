"""The compact edit form at 80x24: one line per field, few keys per change, nothing silent."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from crmtui.model import EntitySpec, FieldSpec, FieldType, Page, Query, Record
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.widgets.choice_editors import ChoiceEditor, ToggleEditor
from crmtui.ui.widgets.form_fields import FormField
from crmtui.ui.widgets.reference_editor import ReferenceEditor
from tests.fakes import FIELDS, LEAD, Host, ada, make_session
from tests.fakes import FormBackend as FakeBackend

SMALL = (80, 24)
MANY = [FieldSpec(f"f{i}", f"Field {i}") for i in range(30)]


class OutboxHost(Host):
    """A host with an app-wide letter binding, as the real app has (o opens the Outbox)."""

    BINDINGS = [Binding("o", "outbox", "Outbox")]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.outbox_opened = 0

    def action_outbox(self) -> None:
        self.outbox_opened += 1


def form(app: Host) -> EditScreen:
    screen = app.screen
    assert isinstance(screen, EditScreen), screen
    return screen


def field(app: Host, name: str) -> FormField:
    found = form(app).form_field(name)
    assert found is not None, name
    return found


def visible(app: Host, widget: Any) -> bool:
    """Whether `widget` lies wholly inside the form's visible area."""
    scroller = form(app).query_one("#edit-form")
    area = scroller.content_region
    region = widget.region
    return bool(region.height) and area.contains_region(region)


async def test_repeated_field_names_in_metadata_do_not_crash() -> None:
    fields = [*FIELDS, FieldSpec("email", "Email (again)"), FieldSpec("a b/c", "Odd name")]
    fields.append(FieldSpec("a b/c", "Odd name again"))
    session = make_session(FakeBackend([ada()]), "write")
    app = Host(lambda: EditScreen(session, LEAD, fields, ada()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        names = [f.spec.name for f in form(app).form_fields()]
        assert names.count("email") == 1 and names.count("a b/c") == 1
        ids = [f.id for f in form(app).form_fields()]
        assert len(set(ids)) == len(ids)
        message = str(form(app).query_one("#edit-message", Static).content)
        assert "twice" in message and "email" in message


async def test_at_least_eighteen_fields_fit_at_80x24() -> None:
    record = Record("lead", "L-1", {f.name: f"value {f.name}" for f in MANY})
    session = make_session(FakeBackend([record]), "write")
    app = Host(lambda: EditScreen(session, LEAD, MANY, record))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        shown = [f for f in form(app).form_fields() if visible(app, f)]
        assert len(shown) >= 18, len(shown)
        assert all(f.region.height == 1 for f in shown)  # one line per field


async def test_a_choice_changes_in_one_key_once_focused() -> None:
    backend = FakeBackend([ada()])
    session = make_session(backend, "write")
    app = Host(lambda: EditScreen(session, LEAD, FIELDS, ada()))
    async with app.run_test(size=SMALL) as pilot:
        status = field(app, "status")
        assert isinstance(status.editor, ChoiceEditor)
        status.editor.focus()
        await pilot.press("w")  # type-ahead: Working
        assert status.value == "working"
        await pilot.press("right")  # → the next one
        assert status.value == "qualified"
        await pilot.press("left", "left")
        assert status.value == "new"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert backend.updates == []  # back where it started: nothing to save


async def test_letters_typed_in_the_form_never_trigger_app_actions() -> None:
    session = make_session(FakeBackend([ada()]), "write")
    app = OutboxHost(lambda: EditScreen(session, LEAD, FIELDS, ada()))
    async with app.run_test(size=SMALL) as pilot:
        for name in ("status", "do_not_call"):
            editor = field(app, name).editor
            assert isinstance(editor, ChoiceEditor | ToggleEditor)
            editor.focus()
            await pilot.press(*"Lovelace o")
            await pilot.pause()
        assert app.outbox_opened == 0
        assert isinstance(app.screen, EditScreen)


async def test_after_tab_wraps_the_focused_field_is_on_screen() -> None:
    record = Record("lead", "L-1", {f.name: "" for f in MANY})
    session = make_session(FakeBackend([record]), "write")
    app = Host(lambda: EditScreen(session, LEAD, MANY, record))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        for _ in range(len(MANY) + 3):  # past the last field, round to the top again
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            assert focused is not None
            assert visible(app, focused), (focused, focused.region)
        await pilot.press("z")
        await pilot.pause()
        typed_into = [f for f in form(app).form_fields() if f.value == "z"]
        assert len(typed_into) == 1 and visible(app, typed_into[0])


async def test_required_error_names_the_field_and_clears_once_filled() -> None:
    session = make_session(FakeBackend([ada()]), "write")
    app = Host(lambda: EditScreen(session, LEAD, FIELDS, None))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        first = field(app, "first_name")
        assert first.error == "First name is required"
        message = form(app).query_one("#edit-message", Static)
        assert "First name is required" in str(message.content) and message.has_class("-shown")
        first.editor.focus()
        await pilot.press(*"Grace")
        await pilot.pause()
        assert field(app, "first_name").error is None
        assert not form(app).query_one("#edit-message").has_class("-shown")


async def test_letters_in_a_number_field_are_said_not_dropped() -> None:
    session = make_session(FakeBackend([ada()]), "write")
    app = Host(lambda: EditScreen(session, LEAD, FIELDS, ada()))
    async with app.run_test(size=SMALL) as pilot:
        employees = field(app, "employees")
        editor = employees.editor
        assert isinstance(editor, Input)
        editor.focus()
        editor.value = ""
        await pilot.press(*"12a")
        await pilot.pause()
        assert employees.value == "12a"
        assert employees.error == "Employees: '12a' is not a whole number"


async def test_a_300_character_name_is_refused_with_its_limit_not_cut() -> None:
    fields = [FieldSpec("name", "Name", max_length=255)]
    record = Record("lead", "L-1", {"name": "x"})
    backend = FakeBackend([record])
    session = make_session(backend, "write")
    app = Host(lambda: EditScreen(session, LEAD, fields, record))
    async with app.run_test(size=SMALL) as pilot:
        editor = field(app, "name").editor
        assert isinstance(editor, Input)
        editor.focus()
        editor.value = ""
        editor.insert_text_at_cursor("y" * 300)
        await pilot.pause()
        assert len(field(app, "name").value) == 300
        assert field(app, "name").error == "Name: at most 255 characters (this has 300)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert backend.updates == []


async def test_ctrl_e_edits_a_long_text_in_the_editor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "fake-editor"
    script.write_text('#!/bin/sh\nprintf "Written in the editor\\nsecond line\\n" > "$1"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    session = make_session(FakeBackend([ada()]), "write")
    app = Host(lambda: EditScreen(session, LEAD, FIELDS, ada()))
    async with app.run_test(size=SMALL) as pilot:
        notes = field(app, "notes")
        assert isinstance(notes.editor, TextArea)
        notes.editor.focus()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert notes.value == "Written in the editor\nsecond line"
        assert form(app).edited_values() == {"notes": "Written in the editor\nsecond line"}


ACCOUNT = EntitySpec("account", "Account", title_fields=("name",))
ACCOUNTS = [
    Record("account", "A-1", {"name": "Analytical Engines"}),
    Record("account", "A-2", {"name": "Babbage & Co"}),
    Record("account", "A-3", {"name": "Analog Devices"}),
]


class LinkedBackend(FakeBackend):
    """Leads that point at accounts."""

    async def entities(self) -> list[EntitySpec]:
        return [LEAD, ACCOUNT]

    async def load_fields(self, entity: str) -> list[FieldSpec]:
        if entity == "account":
            return [FieldSpec("name", "Name")]
        return [*FIELDS, REF]

    async def list_page(self, entity: str, query: Query, offset: int, limit: int) -> Page:
        if entity == "account":
            self.account_lists += 1
            return Page(ACCOUNTS[offset : offset + limit], offset, None, len(ACCOUNTS))
        return await super().list_page(entity, query, offset, limit)

    account_lists = 0


REF = FieldSpec("account_id", "Account", FieldType.REFERENCE, reference="account")


async def wait_for(pilot: Pilot[Any], check: Any, tries: int = 50) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never held")


async def test_reference_field_finds_a_record_by_name() -> None:
    backend = LinkedBackend([ada()])
    session = make_session(backend, "write")
    app = Host(lambda: EditScreen(session, LEAD, [*FIELDS, REF], ada()))
    async with app.run_test(size=SMALL) as pilot:
        account = field(app, "account_id")
        widget = account.query_one(ReferenceEditor)
        account.editor.focus()
        await pilot.press(*"ana")
        await wait_for(pilot, lambda: len(widget.candidates) == 2)
        hint = str(widget.query_one(".reference-hint", Static).content)
        assert "Analog Devices (A-3)" in hint and "1/2" in hint  # names starting "ana", sorted
        await pilot.press("down", "enter")
        await pilot.pause()
        assert account.value == "A-1"
        assert "Analytical Engines" in str(widget.query_one(".reference-hint", Static).content)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert backend.records["L-1"].values["account_id"] == "A-1"
        assert backend.account_lists == 1  # one scan, matched locally per key


@pytest.mark.parametrize("theme", ["crmtui-dark", "crmtui-light", "crmtui-ansi16"])
async def test_labels_sit_on_the_themes_own_background(theme: str) -> None:
    from crmtui.ui.themes import load_themes

    session = make_session(FakeBackend([ada()]), "write")
    app = Host(lambda: EditScreen(session, LEAD, FIELDS, ada()))
    for loaded in load_themes():
        app.register_theme(loaded)
    async with app.run_test(size=SMALL) as pilot:
        app.theme = theme
        await pilot.pause()
        screen_background = form(app).background_colors[1]
        for label in form(app).query(".field-label"):
            assert label.background_colors[1] == screen_background, (theme, label)


async def test_a_choice_changes_in_three_keys_from_anywhere_in_the_form() -> None:
    backend = FakeBackend([ada()])
    session = make_session(backend, "write")
    app = Host(lambda: EditScreen(session, LEAD, FIELDS, ada()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f", *"sta", "enter", "q")  # 3 keys besides the typed label
        await pilot.pause()
        assert field(app, "status").value == "qualified"
        await pilot.press("ctrl+f", *"nowhere", "enter")
        await pilot.pause()
        assert "No field called 'nowhere'" in "\n".join(str(n.message) for n in app._notifications)
        await pilot.press("ctrl+f", "escape")  # escape closes the line, not the form
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert backend.records["L-1"].values["status"] == "qualified"
