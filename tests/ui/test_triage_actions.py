"""Triage, record actions and revert in the TUI, through the journal, driven by keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from crmtui.model import ActionSpec, FieldSpec, FieldType
from crmtui.services.journal import Journal, Op, State
from crmtui.ui.app import CrmApp
from crmtui.ui.screens.actions import ActionsScreen
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.screens.triage import TriageScreen
from tests.fakes import FakeBackend, FakeProfile

from .helpers import main_screen, notified, record_list, screen_text, settle

SIZE = (80, 24)
AppFactory = Callable[..., CrmApp]


def journal() -> Journal:
    return Journal("test", "fake")


def status_of(backend: FakeBackend, record_id: str) -> Any:
    return next(r for r in backend.data["lead"] if r.id == record_id).values["status"]


async def test_triage_sets_five_leads_with_one_key_each_and_z_undoes_one(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
        text = screen_text(app)
        assert "S Status" in text and "1 New" in text and "3 Won" in text
        before = [status_of(backend, str(i)) for i in range(1, 6)]
        await pilot.press(*"11111")  # one key per lead, sent as one burst
        await settle(pilot, 6)
        assert [status_of(backend, str(i)) for i in range(1, 6)] == ["new"] * 5
        assert app.screen.index == 5
        updates = [e for e in journal().entries() if e.op is Op.UPDATE]
        assert len(updates) == sum(1 for b in before if b != "new") == 4  # lead 3 was new
        assert all(e.state is State.APPLIED for e in updates)
        await pilot.press("z")
        await settle(pilot, 4)
        assert status_of(backend, "5") == before[4]  # the last one is back
        assert [status_of(backend, str(i)) for i in range(1, 5)] == ["new"] * 4
        reverts = [e for e in journal().entries() if e.reverts]
        assert len(reverts) == 1 and reverts[0].state is State.APPLIED
        assert "Undone" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert record_list(app).record_at(4) is not None
        assert record_list(app).record_at(4).values["status"] == before[4]  # type: ignore[union-attr]


async def test_triage_asks_first_under_confirm_writes(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory(FakeProfile(mode="confirm-writes"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t", "3")
        await settle(pilot)
        assert "Set Status of First1 Last000001: Open → Won?" in screen_text(app)
        assert status_of(backend, "1") == "open"  # asked, not sent
        await pilot.press("x")  # any other key: still asking
        await pilot.press("n")
        await settle(pilot)
        assert status_of(backend, "1") == "open" and "Not set" in screen_text(app)
        await pilot.press("3", "y")
        await settle(pilot, 4)
        assert status_of(backend, "1") == "won"


async def test_triage_on_a_read_only_profile_sets_nothing(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory(FakeProfile(mode="read-only"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = status_of(backend, "1")
        await pilot.press("t", "3")
        await settle(pilot)
        assert status_of(backend, "1") == before
        assert "read-only" in screen_text(app)


class ActingBackend(FakeBackend):
    """Leads with a "close" action that takes a note, recorded when run."""

    def __init__(self) -> None:
        super().__init__(50)
        self.ran: list[tuple[str, str, dict[str, Any]]] = []

    async def actions(self, entity: str) -> list[ActionSpec]:
        note = FieldSpec("note", "Note", required=True)
        count = FieldSpec("count", "Count", FieldType.INTEGER)
        return [ActionSpec("ping", "Ping"), ActionSpec("close", "Close lead", (note, count))]

    async def run_action(
        self, entity: str, record_id: str, action: str, params: Mapping[str, Any]
    ) -> str:
        self.ran.append((record_id, action, dict(params)))
        return f"{action} done"


async def test_an_action_with_parameters_runs_on_the_shown_record(
    app_factory: AppFactory, prefs: Any
) -> None:
    from crmtui.ui.app import make_app
    from tests.fakes import FakeSession

    backend = ActingBackend()

    async def opener(name: str) -> Any:
        return FakeSession(backend, FakeProfile(name=name))

    app = make_app(opener=opener, profiles=["test"], prefs=prefs, theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        shown = main_screen(app).shown
        assert shown is not None and shown.id == "3"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        assert "1  Ping" in screen_text(app) and "2  Close lead" in screen_text(app)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+s")  # the note is required: said, nothing run
        await pilot.pause()
        assert "Note is required" in screen_text(app) and backend.ran == []
        await pilot.press(*"all done", "tab", *"x2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Count: 'x2' is not a whole number" in screen_text(app)
        await pilot.press("backspace", "backspace", "2", "ctrl+s")
        await settle(pilot, 4)
        assert backend.ran == [("3", "close", {"note": "all done", "count": 2})]
        assert "close done" in notified(app)
        actions = [e for e in journal().entries() if e.op is Op.ACTION]
        assert len(actions) == 1 and actions[0].state is State.APPLIED


async def test_revert_undoes_the_last_change_to_the_shown_record(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert "Nothing to revert" in notified(app)
        before = status_of(backend, "1")
        await pilot.press("t", "3", "escape")
        await settle(pilot, 4)
        assert status_of(backend, "1") == "won" != before
        await pilot.press("up", "up")  # back to the first lead
        await settle(pilot)
        assert main_screen(app).shown is not None
        assert main_screen(app).shown.id == "1"  # type: ignore[union-attr]
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Status" in screen_text(app)
        await pilot.press("y")
        await settle(pilot, 4)
        assert status_of(backend, "1") == before
        assert "Reverted" in notified(app)


async def test_a_burst_of_keys_under_confirm_writes_lands_like_slow_typing(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    from textual import events

    app = app_factory(FakeProfile(mode="confirm-writes"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        for key in "1y1y1y1y1y":  # as a paste or a laggy link delivers them: all at once
            app.post_message(events.Key(key, key))
        for _ in range(20):
            await settle(pilot, 2)
        statuses = [status_of(backend, str(i)) for i in range(1, 6)]
        assert statuses == ["new"] * 5, statuses


async def test_parameters_typed_in_the_same_burst_as_the_action_key_land_in_the_form(
    prefs: Any,
) -> None:
    from textual import events

    from crmtui.ui.app import make_app
    from crmtui.ui.widgets.form_fields import FormField
    from tests.fakes import FakeSession

    backend = ActingBackend()

    async def opener(name: str) -> Any:
        return FakeSession(backend, FakeProfile(name=name))

    app = make_app(opener=opener, profiles=["test"], prefs=prefs, theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        for key in "2done":
            app.post_message(events.Key(key, key))
        await settle(pilot)
        note = next(f for f in app.screen.query(FormField) if f.spec.name == "note")
        assert note.value == "done"


async def test_triage_keys_follow_the_profile_keymap(
    app_factory: AppFactory, backend: FakeBackend
) -> None:
    app = app_factory(keymap={"triage.next": "n", "triage.undo": "u"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
        assert " n Next" in screen_text(app)  # the footer shows the user's key
        await pilot.press("n")  # the user's next: not a choice, even though n is a letter
        await settle(pilot)
        assert app.screen.index == 1
        await pilot.press("j")  # next's default key is replaced, as everywhere else
        await settle(pilot)
        assert app.screen.index == 1
        before = status_of(backend, "2")
        await pilot.press("1")
        await settle(pilot, 4)
        assert status_of(backend, "2") == "new" and app.screen.index == 2
        await pilot.press("u")  # the user's undo
        await settle(pilot, 4)
        assert status_of(backend, "2") == before
