"""Triage: the current view one record at a time; one key sets a choice field and moves on.

An upper-case letter picks the field (Status, Owner, Stage…), a digit or letter shown beside a
choice sets it. Each change is saved through the journal exactly like the edit form's (the
profile's write mode holds: confirm-writes asks first); `z` reverts the last one through the
journal. Keys that arrive while a change is being saved wait their turn, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.binding import Binding, BindingType
from textual.worker import Worker, WorkerState

from crmtui.errors import describe
from crmtui.model import Change, Record
from crmtui.services import outbox
from crmtui.services.edits import EditConflict, save_changes
from crmtui.services.write_policy import WritePath
from crmtui.ui.confirm import refused_sentence, verdict
from crmtui.ui.keymap import binding_ids, check_keymap
from crmtui.ui.screens.triage_base import Done, TriageBase
from crmtui.ui.screens.triage_view import field_keys, keyed_choices, triage_fields
from crmtui.ui.text import plain

if TYPE_CHECKING:
    from crmtui.ui.screens.main import MainScreen

GROUP = "triage-write"


class TriageScreen(TriageBase):
    """Step through the main screen's list, setting one choice field per key."""

    DEFAULT_CSS = """
    TriageScreen { layout: vertical; }
    TriageScreen #triage-title { height: 1; padding: 0 1; background: $panel; }
    TriageScreen #triage-record { height: auto; max-height: 12; padding: 0 1; }
    TriageScreen #triage-fields { height: auto; padding: 0 1; margin-top: 1; }
    TriageScreen #triage-choices { height: auto; padding: 0 1; }
    TriageScreen #triage-message { height: auto; padding: 0 1; margin-top: 1; }
    TriageScreen #triage-message.-error { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [  # shown in the footer; `handle` runs them
        Binding("down,j", "step(1)", "Next", id="triage.next"),
        Binding("up,k", "step(-1)", "Previous", id="triage.previous"),
        Binding("z", "undo", "Undo last", id="triage.undo"),
        Binding("tab", "next_field", "Field", id="triage.field"),
        Binding("escape,q", "leave", "Leave", id="triage.leave"),
        # Shown only while a change waits for its answer (then the keys above do nothing).
        Binding("y", "answer(True)", "Yes", id="triage.yes"),
        Binding("n", "answer(False)", "No", id="triage.no"),
    ]
    ANSWERS: ClassVar[frozenset[str]] = frozenset({"triage.yes", "triage.no"})
    """The bindings read only while asking: their keys stay free for choices otherwise."""

    def __init__(self, main: MainScreen) -> None:
        super().__init__(main)
        self.action_keys, self.yes_keys, self.no_keys = self._keys()
        self.taken = frozenset(key for key in self.action_keys if len(key) == 1)
        self.keys = field_keys(triage_fields(self.fields), self.taken)
        self.field = next(iter(self.keys.values()), None)
        self.busy = False
        self.queued: list[events.Key] = []
        self.asking: Callable[[], None] | None = None  # the change a y would make

    # -- keys -------------------------------------------------------------------------------------
    async def on_key(self, event: events.Key) -> None:
        """Every key of the screen goes through `handle`, in order: while a change is being
        saved, keys wait their turn, so a burst lands exactly as slow typing would."""
        if self.busy:
            self.queued.append(event)
        elif not self.handle(event):
            return
        event.stop()
        event.prevent_default()

    def handle(self, event: events.Key) -> bool:
        """Act on one key; False for a key triage has no use for."""
        if self.asking is not None:
            return self.answer(event)
        act = self.action_keys.get(event.key)
        if act is not None:
            act()
            return True
        char = event.character or ""
        if char in self.keys:
            self.field = self.keys[char]
            self.show()
            return True
        for key, value, _label in keyed_choices(self.field, self.taken):
            if char == key:
                self.set_choice(value)
                return True
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows y and n while a change waits for its answer, the other keys
        otherwise (each key works only then)."""
        return (action == "answer") == (self.asking is not None)

    def action_answer(self, yes: bool) -> None:
        """Names y and n's action for the footer: the keys themselves (typed, or clicked in the
        footer) reach `answer` through `handle` first, so this never has anything to do."""

    def ask(self, question: str, go: Callable[[], None]) -> None:
        """Under confirm-writes: the question on the message line; y goes, n or esc do not."""
        self.asking = go
        self.refresh_bindings()
        self.say(f"{question}  {self.yes_keys[0]} yes · {self.no_keys[0]} no")

    def answer(self, event: events.Key) -> bool:
        """y (or enter) runs the asked change; n (or escape) drops it; other keys wait."""
        go = self.asking
        assert go is not None
        if event.key in self.yes_keys:
            self.asking = None
            self.refresh_bindings()
            go()
        elif event.key in self.no_keys:
            self.asking = None
            self.refresh_bindings()
            self.say("Not set.")
        else:
            self.app.bell()
        return True

    def replay(self) -> None:
        """Handle the keys that arrived while busy, in order, until one starts another save."""
        while self.queued and not self.busy:
            self.handle(self.queued.pop(0))

    def _keys(self) -> tuple[dict[str, Callable[[], None]], list[str], list[str]]:
        """Each key of the screen's bindings, as the profile's `[keymap]` sets them; then the
        keys that answer yes (and enter) and no (and escape) while a change waits."""
        by_id: dict[str, Callable[[], None]] = {
            "triage.next": partial(self.action_step, 1),
            "triage.previous": partial(self.action_step, -1),
            "triage.undo": self.action_undo,
            "triage.field": self.action_next_field,
            "triage.leave": self.action_leave,
        }
        table = getattr(self.main.app, "keymap_table", None) or {}
        keymap, _warned = check_keymap(table, binding_ids([type(self)]))  # warned at start
        keys: dict[str, Callable[[], None]] = {}
        answers: dict[str, list[str]] = {"triage.yes": [], "triage.no": []}
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding) and binding.id is not None
            for key in keymap.get(binding.id, binding.key).split(","):
                if binding.id in self.ANSWERS:
                    answers[binding.id].append(key.strip())
                else:
                    keys[key.strip()] = by_id[binding.id]
        return keys, [*answers["triage.yes"], "enter"], [*answers["triage.no"], "escape"]

    # -- writing ----------------------------------------------------------------------------------
    def set_choice(self, value: str) -> None:
        """Save the chosen value on the record (asking first under confirm-writes), then move on."""
        record, spec = self.record, self.field
        if record is None or spec is None:
            return
        old = record.values.get(spec.name)
        if old == value:
            self.say(f"{plain(spec.label)} is already {plain(spec.choice_label(value))}.")
            self.action_step(1)
            return
        change = Change(spec.name, old, value)
        self.write(
            WritePath.EDIT,
            f"Set {plain(spec.label)} of {plain(record.title(self.entity))}: "
            f"{plain(old, spec) or '(empty)'} → {plain(value, spec)}?",
            lambda: self.start(record, change),
        )

    def write(self, path: WritePath, question: str, go: Callable[[], None]) -> None:
        """The write policy for `path`: refused (said), asked here (y/n), or done at once."""
        answer = verdict(self.session, path)
        if answer.refused:
            self.say(refused_sentence(answer), True)
        elif answer.asks:
            self.ask(question, go)
        else:
            go()

    def start(self, record: Record, change: Change) -> None:
        """Save in a worker; keys wait meanwhile."""
        self.busy = True
        self.say("saving…")
        self._save(record, change, self.index)

    @work(group=GROUP, exclusive=True, exit_on_error=False, description="triage save")
    async def _save(self, record: Record, change: Change, index: int) -> tuple[Record, int, str]:
        saved = await save_changes(self.session, self.entity.name, record.id, [change])
        return saved, index, change.field

    def action_undo(self) -> None:
        """z: revert the last change triage made, through the journal."""
        if not self.done:
            self.say("Nothing to undo in this triage.")
            return
        last = self.done[-1]
        question = f"Undo the last change (record {plain(last.record_id)})?"
        self.write(WritePath.REVERT, question, lambda: self._start_undo(last))

    def _start_undo(self, last: Done) -> None:
        self.busy = True
        self.say("undoing…")
        self._undo(last)

    @work(group=GROUP, exclusive=True, exit_on_error=False, description="triage undo")
    async def _undo(self, last: Done) -> tuple[Record | None, Done]:
        _entry, record = await outbox.revert_last(self.session, self.entity.name, last.record_id)
        return record, last

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A save moves on to the next record; an undo goes back to its record."""
        worker = event.worker
        if worker.group != GROUP or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.busy = False
        if event.state is WorkerState.ERROR:
            error = worker.error
            if isinstance(error, EditConflict):
                self.say(f"Changed elsewhere; nothing overwritten (outbox {error.entry.id}).", True)
            elif error is not None:
                info = describe(error)
                self.say(f"Not saved. {info.title}: {info.message}", True)
            self.queued.clear()  # keys typed after a failure would act on the wrong record
            return
        result: Any = worker.result
        if worker.description == "triage undo":
            record, last = result
            self.done.pop()
            if record is not None:
                self.main.records.replace_record(record)
                self.main.show_detail(record)
            self.index = last.index
            self.say(f"Undone: record {plain(last.record_id)} is back as it was.")
            self.show()
        else:
            saved, index, name = result
            self.done.append(Done(saved.id, index, name))
            self.main.records.replace_record(saved)
            spec = next(f for f in self.fields if f.name == name)
            shown = plain(saved.values.get(name), spec)
            if index == self.index:
                self.action_step(1)
            else:
                self.show()
            self.say(f"{plain(saved.title(self.entity))}: {plain(spec.label)} → {shown}")
        self.replay()
