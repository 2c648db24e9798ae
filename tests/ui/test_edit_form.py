"""The edit form through the keys a user presses: validate, confirm, save, create, leave."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from crmtui.errors import ValidationFailed, VendorError
from crmtui.model import Change, Record
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.screens.edit import EditScreen
from crmtui.ui.widgets.choice_editors import ChoiceEditor, ToggleEditor
from tests.fakes import FIELDS, LEAD, Host, ada, make_session
from tests.fakes import FormBackend as FakeBackend

SIZE = (100, 60)


def host(backend: FakeBackend, mode: str = "confirm-writes", record: Record | None = None) -> Host:
    session = make_session(backend, mode)
    return Host(lambda: EditScreen(session, LEAD, FIELDS, record))


async def type_into(pilot: Pilot[Any], name: str, text: str) -> None:
    """Focus a field's input, clear it, and type `text` key by key."""
    screen = pilot.app.screen
    assert isinstance(screen, EditScreen)
    form_field = screen.form_field(name)
    assert form_field is not None
    editor = form_field.editor
    assert isinstance(editor, Input)
    editor.focus()
    editor.value = ""
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


def error_of(app: Host, name: str) -> str | None:
    screen = app.screen
    assert isinstance(screen, EditScreen)
    form_field = screen.form_field(name)
    assert form_field is not None
    return form_field.error


def message_of(app: Host) -> str:
    return str(app.screen.query_one("#edit-message", Static).content)


async def test_edit_shows_error_beside_field_then_saves_after_confirm() -> None:
    backend = FakeBackend([ada()])
    app = host(backend, "confirm-writes", ada())
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "email", "ada-at-example")
        assert "not an email address" in (error_of(app, "email") or "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)  # no confirm: the form still has an error
        assert backend.updates == []

        await type_into(pilot, "email", "ada@example.org")
        assert error_of(app, "email") is None
        await pilot.press("ctrl+s")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        shown = _render(confirm.body)
        assert "ada@example.com" in shown and "ada@example.org" in shown and "->" in shown
        assert backend.updates == []  # nothing sent before the user says yes

        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert backend.updates == [[Change("email", "ada@example.com", "ada@example.org")]]
        assert backend.records["L-1"].values["email"] == "ada@example.org"
        assert not isinstance(app.screen, EditScreen)
        assert isinstance(app.results[-1], Record)
        assert app.results[-1].values["email"] == "ada@example.org"


async def test_declining_the_confirmation_keeps_the_edit_and_sends_nothing() -> None:
    backend = FakeBackend([ada()])
    app = host(backend, "confirm-writes", ada())
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "last_name", "Byron")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)
        assert app.screen.edited_values() == {"last_name": "Byron"}
        assert backend.updates == []


async def test_write_mode_saves_directly_and_sends_only_changed_fields() -> None:
    backend = FakeBackend([ada()])
    app = host(backend, "write", ada())
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "employees", "40")
        await type_into(pilot, "revenue", "99.5")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert backend.updates == [
            [Change("employees", 12, 40), Change("revenue", Decimal("1250.50"), Decimal("99.5"))]
        ]
        assert not isinstance(app.screen, EditScreen)


async def test_read_only_profile_cannot_save() -> None:
    backend = FakeBackend([ada()])
    app = host(backend, "read-only", ada())
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "last_name", "Byron")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)
        assert "read-only" in message_of(app)
        assert backend.updates == []


async def test_vendor_field_error_lands_beside_the_field_and_keeps_the_edit() -> None:
    backend = FakeBackend([ada()])
    backend.fail_next = ValidationFailed({"phone": "vendor says: number is not dialable"})
    app = host(backend, "write", ada())
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "phone", "+1 555 0100")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)
        assert error_of(app, "phone") == "Phone: vendor says: number is not dialable"
        assert app.screen.edited_values() == {"phone": "+1 555 0100"}


async def test_other_errors_show_a_message_and_keep_the_form() -> None:
    backend = FakeBackend([ada()])
    backend.fail_next = VendorError("record is locked", code=423)
    app = host(backend, "write", ada())
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "last_name", "Byron")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)
        assert "record is locked" in message_of(app)
        assert app.screen.edited_values() == {"last_name": "Byron"}
        # The edit is not lost: saving again works.
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert backend.records["L-1"].values["last_name"] == "Byron"


async def test_escape_with_unsaved_changes_asks_first() -> None:
    backend = FakeBackend([ada()])
    app = host(backend, "write", ada())
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "last_name", "Byron")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, EditScreen | ConfirmScreen)
        assert app.results == [None]
        assert backend.updates == []


async def test_escape_without_changes_leaves_at_once() -> None:
    app = host(FakeBackend([ada()]), "write", ada())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_one_widget_per_field_type() -> None:
    app = host(FakeBackend([ada()]), "write", ada())
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, EditScreen)

        def editor(name: str) -> Any:
            form_field = screen.form_field(name)
            assert form_field is not None
            return form_field.editor

        assert isinstance(editor("status"), ChoiceEditor)
        assert editor("status").value == "new"
        assert isinstance(editor("do_not_call"), ToggleEditor)
        assert isinstance(editor("notes"), TextArea)
        assert editor("notes").text == "First programmer.\nLikes engines."
        assert isinstance(editor("email"), Input)
        assert editor("employees").type == "text"  # letters are said, not dropped
        assert editor("created").disabled and editor("id").disabled
        assert not editor("first_name").disabled
        labels = [str(label.content) for label in screen.query(".field-label").results(Static)]
        assert "First name *" in labels  # required marked
        assert any("Region" in text and "⁺" in text for text in labels)


async def test_max_length_is_said_not_cut_silently() -> None:
    backend = FakeBackend([ada()])
    app = host(backend, "write", ada())
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "first_name", "x" * 43)
        screen = app.screen
        assert isinstance(screen, EditScreen)
        assert screen.edited_values() == {"first_name": "x" * 43}  # nothing dropped silently
        assert error_of(app, "first_name") == "First name: at most 40 characters (this has 43)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert backend.updates == [] and isinstance(app.screen, EditScreen)


async def test_switch_and_select_changes_are_saved() -> None:
    backend = FakeBackend([ada()])
    app = host(backend, "write", ada())
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, EditScreen)
        switch = screen.form_field("do_not_call")
        select = screen.form_field("status")
        assert switch is not None and select is not None
        switch.editor.focus()
        await pilot.press("space")
        assert isinstance(select.editor, ChoiceEditor)
        select.editor.focus()
        await pilot.press("q")  # type-ahead: one key picks "Qualified"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert backend.records["L-1"].values["do_not_call"] is True
        assert backend.records["L-1"].values["status"] == "qualified"
        assert {c.field for c in backend.updates[0]} == {"do_not_call", "status"}


async def test_create_uses_the_same_form_and_checks_required_fields() -> None:
    backend = FakeBackend([ada()])
    app = host(backend, "write", None)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, EditScreen)
        assert screen.form_field("created") is None  # read-only: nothing to set on create
        await type_into(pilot, "email", "grace@example.com")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_of(app, "first_name") == "First name is required"
        assert backend.creates == []

        await type_into(pilot, "first_name", "Grace")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert backend.creates == [{"email": "grace@example.com", "first_name": "Grace"}]
        created = app.results[-1]
        assert isinstance(created, Record) and created.values["first_name"] == "Grace"
        assert backend.records[created.id].values["email"] == "grace@example.com"


async def test_markup_and_control_characters_show_literally_in_the_form() -> None:
    hostile = "[red]x[/oops] [@click=app.quit]q\x1b]0;pwned\x07"
    record = ada()
    record.values["last_name"] = hostile
    record.values["notes"] = "[/bold]\x1b[31mred\r\nline"
    backend = FakeBackend([record])
    app = host(backend, "write", record)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, EditScreen)
        last = screen.form_field("last_name")
        notes = screen.form_field("notes")
        assert last is not None and notes is not None
        assert isinstance(last.editor, Input) and isinstance(notes.editor, TextArea)
        assert last.editor.value == "[red]x[/oops] [@click=app.quit]q␛]0;pwned␇"
        assert notes.editor.text == "[/bold]␛[31mred\nline"
        # An untouched hostile value is not "changed" and is never sent back.
        await type_into(pilot, "first_name", "Ada2")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [c.field for c in backend.updates[0]] == ["first_name"]
        assert backend.records["L-1"].values["last_name"] == hostile


def _render(renderable: Any) -> str:
    from rich.console import Console

    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


async def test_a_bad_field_does_not_make_a_filled_required_one_look_empty() -> None:
    # seen in the demo: Last Name changed, Email made invalid, ctrl+s said "Last Name is required"
    backend = FakeBackend([ada()])
    app = host(backend, "confirm-writes", ada())
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "first_name", "Augusta")
        await type_into(pilot, "email", "ada-at-example")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)
        assert "not an email address" in (error_of(app, "email") or "")
        assert error_of(app, "first_name") is None
        assert "required" not in message_of(app), message_of(app)
        assert backend.updates == []
