"""OutboxScreen: the writes not applied yet, with retry, edit (of a conflict) and discard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from crmtui.errors import describe
from crmtui.services import outbox
from crmtui.services.edits import EditConflict, FieldConflict
from crmtui.services.journal import Entry, State
from crmtui.services.write_policy import WritePath
from crmtui.ui.confirm import confirm_write
from crmtui.ui.screens.conflict import ConflictScreen
from crmtui.ui.screens.dialogs import ConfirmScreen
from crmtui.ui.text import plain
from crmtui.ui.widgets.key_footer import ScreenFooter

if TYPE_CHECKING:
    from crmtui.services.session import Session

GROUP = "outbox"


class OutboxScreen(Screen[None]):
    """Pending writes of the session's profile; r retries, e settles a conflict, d discards."""

    DEFAULT_CSS = """
    OutboxScreen #outbox-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    OutboxScreen OptionList { height: 1fr; }
    OutboxScreen #outbox-message { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("r", "retry", "Retry", id="outbox.retry"),
        Binding("e", "edit", "Resolve", id="outbox.edit"),
        Binding("d", "discard", "Discard", id="outbox.discard"),
        Binding("escape", "app.pop_screen", "Back", id="outbox.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        """Title, the pending writes, a message line."""
        yield Label(Text(f"Outbox of {plain(self.session.profile.name)}"), id="outbox-title")
        yield OptionList(id="outbox-list")
        yield Static("", id="outbox-message", markup=False)
        yield ScreenFooter()

    def on_mount(self) -> None:
        """Load the list."""
        self.refresh_list()

    def refresh_list(self) -> None:
        """Read the journal again and show what is pending."""
        self.entries = outbox.pending(self.session)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(Text(plain(e.summary())), id=e.id) for e in self.entries)
        if self.entries:
            options.highlighted = 0
            options.focus()
        if not self.entries:
            self.say("Nothing pending: every edit is applied.")
        self.refresh_bindings()  # Retry, Resolve and Discard only while something is pending

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Retry, Resolve and Discard are shown (and work) only while something is pending."""
        return bool(self.entries) if action in ("retry", "edit", "discard") else True

    def say(self, text: str) -> None:
        """Show a line under the list."""
        self.query_one("#outbox-message", Static).update(Text(plain(text)))

    def selected(self) -> Entry | None:
        """The highlighted entry."""
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    def action_retry(self) -> None:
        """Send the highlighted write again (after the same checks as the first time)."""
        entry = self.selected()
        if entry is None:
            return

        def go() -> None:
            self.say(f"Sending {entry.id}…")
            self._retry(entry.id)

        confirm_write(
            self,
            self.session,
            WritePath.RETRY,
            go,
            title=f"Send {entry.id} again?",
            body=Text(plain(entry.summary())),
            label="Send",
            show=self.say,
        )

    def action_discard(self) -> None:
        """Give up the highlighted write (it stays in the journal, marked discarded)."""
        entry = self.selected()
        if entry is None:
            return

        def answered(ok: bool | None) -> None:
            if ok:
                outbox.discard(self.session, entry.id)
                self.refresh_list()
                self.say(f"Discarded {entry.id}.")
            else:
                self.say(f"Kept {entry.id}.")

        note = "This edit will not be sent; the journal keeps it, marked discarded."
        body = Text(plain(f"{entry.summary()}\n\n{note}"))
        screen = ConfirmScreen(f"Discard {entry.id}?", body, confirm_label="Discard")
        self.app.push_screen(screen, answered)

    def action_edit(self) -> None:
        """Settle a conflict field by field."""
        entry = self.selected()
        if entry is None:
            return
        if entry.state is not State.CONFLICT:
            self.say(f"{entry.id} is {entry.shown_state}: retry or discard it, or edit it with "
                     "crmtui outbox edit.")  # fmt: skip
            return
        loaded, mine = entry.loaded(), entry.mine()
        conflicts = [
            FieldConflict(name, loaded.get(name), theirs, mine.get(name))
            for name, theirs in entry.theirs.items()
        ]

        def chosen(choices: dict[str, Any] | None) -> None:
            if choices is None:
                return
            confirm_write(
                self,
                self.session,
                WritePath.RESOLVE,
                lambda: self._resolve(entry.id, choices),
                title=f"Send your choices for {entry.target()}?",
                body=Text(plain(", ".join(f"{k}: {v}" for k, v in choices.items()))),
                label="Send",
                show=self.say,
            )

        self.app.push_screen(ConflictScreen(f"Settle {entry.target()}", conflicts), chosen)

    @work(group=GROUP, exclusive=True, exit_on_error=False, description="retry a write")
    async def _retry(self, entry_id: str) -> str:
        await outbox.retry(self.session, entry_id)
        return entry_id

    @work(group=GROUP, exclusive=True, exit_on_error=False, description="resolve a conflict")
    async def _resolve(self, entry_id: str, choices: dict[str, Any]) -> str:
        await outbox.resolve(self.session, entry_id, choices)
        return entry_id

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Refresh the list and say how it went."""
        if event.worker.group != GROUP:
            return
        if event.state is WorkerState.SUCCESS:
            self.refresh_list()
            self.say(f"Applied {event.worker.result}.")
        elif event.state is WorkerState.ERROR:
            self.refresh_list()
            error = event.worker.error
            if isinstance(error, EditConflict):
                self.say(f"Changed elsewhere again: press e to settle {error.entry.id}.")
            elif error is not None:
                info = describe(error)
                self.say(f"Not applied. {info.title}: {info.message}")
