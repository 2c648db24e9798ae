"""The raw-call console pane: a request editor in the vendor's shape, the answer, history.

Two ways of looking at it, following the focus: writing (the request's headers and body open) and
reading (only the request line stays, the answer takes the rest). Sending switches to reading;
F2/ctrl+y switches back and forth; F10/ctrl+x gives the console the whole screen.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static, TextArea

from crmtui.errors import CrmError, UsageError, describe
from crmtui.model.raw import RawRequest, RawResponse
from crmtui.services import console
from crmtui.services.curl import to_curl
from crmtui.services.history import History
from crmtui.services.session import Session
from crmtui.services.write_policy import WritePath
from crmtui.ui.confirm import confirm_write
from crmtui.ui.text import plain
from crmtui.ui.widgets.console_body import BodyView, body_lines
from crmtui.ui.widgets.console_layout import console_widgets
from crmtui.ui.widgets.console_tools import (
    PROMPTS,
    answer_prompt,
    fill_editor,
    headers_line,
    read_editor,
    status_line,
)


class ConsolePane(Vertical):
    """Send raw calls through `session` (its budget and request log); answers shown safely."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+g,f5", "send", "Send", id="console.send"),
        Binding("f2,ctrl+y", "switch", "Request/answer", priority=True, id="console.switch"),
        Binding("f10,ctrl+x", "maximise", "Full screen", priority=True, id="console.maximise"),
        Binding("up", "recall(-1)", "Previous", show=False, id="console.history_prev"),
        Binding("down", "recall(1)", "Next", show=False, id="console.history_next"),
        Binding("ctrl+f", "prompt('find')", "Find", id="console.find"),
        Binding("ctrl+n,f6", "copy_curl", "Copy curl", id="console.copy_curl"),
        Binding("ctrl+r", "prompt('history')", "History", show=False, id="console.history_search"),
        Binding("ctrl+s", "prompt('save')", "Save", show=False, id="console.save"),
        Binding("ctrl+o", "prompt('open')", "Open", show=False, id="console.open"),
        Binding("ctrl+b,f7", "copy_body", "Copy body", show=False, id="console.copy_body"),
        Binding("escape", "close_prompt", "Close prompt", show=False, id="console.escape"),
    ]
    DEFAULT_CSS = """
    ConsolePane { height: 1fr; border-top: heavy $panel-lighten-2; }
    ConsolePane:focus-within { border-top: heavy $accent; }
    ConsolePane.-reading { height: 2fr; }
    ConsolePane Horizontal { height: 1; }
    ConsolePane .console-label { width: auto; color: $text-muted; padding: 0 1 0 0; }
    ConsolePane #console-method { width: 12; }
    ConsolePane #console-host { width: 12; }
    ConsolePane #console-name { width: 1fr; }
    ConsolePane #console-target { width: 1fr; }
    ConsolePane #console-headers { width: 1fr; }
    ConsolePane #console-body { height: 4; }
    ConsolePane #console-sent { height: auto; max-height: 3; color: $text-muted; }
    ConsolePane #console-meta { height: 1; }
    ConsolePane #console-answer-headers { height: 1; color: $text-muted; }
    ConsolePane.-reading .-writing-only { display: none; }
    ConsolePane #console-prompt { display: none; }
    ConsolePane #console-prompt.-open { display: block; }
    """
    KEYS = "F5/^g send · F2/^y request⇄answer · F10/^x full screen · ` or ^t close"

    class Answered(Message):
        """A call came back."""

        def __init__(self, request: RawRequest, response: RawResponse, lines: list[str]) -> None:
            super().__init__()
            self.request, self.response, self.lines = request, response, lines

    class Failed(Message):
        """A call could not be made or answered."""

        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.shape = console.shape_for(session.profile.vendor)
        self.history = History(session.profile.name, redactor=session.redactor)
        self.response: RawResponse | None = None
        self.last_curl = ""
        self.prompt_mode = ""
        self.reading = False

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """The request line, headers, body editor, the request as sent, status, the answer."""
        yield from console_widgets(self.shape, self.KEYS)

    def on_mount(self) -> None:
        """Say when the history could not be read; the name field completes known methods."""
        if self.shape.kind != "rest":
            name = self.query_one("#console-name", Input)
            name.suggester = SuggestFromList(self.shape.methods, case_sensitive=False)
        if self.history.problem:
            self.notify(plain(self.history.problem), severity="warning")

    def focus_editor(self) -> None:
        """Focus the request line (the first field that takes text)."""
        self.query_one("#console-target" if self.shape.kind == "rest" else "#console-name").focus()

    # -- writing and reading --------------------------------------------------------------------
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The answer focused: reading; a request field focused: writing."""
        widget = event.widget
        if widget.id != "console-prompt":
            self.set_reading(isinstance(widget, BodyView))

    def set_reading(self, reading: bool) -> None:
        """Fold the request's headers and body away while the answer is read (and back)."""
        self.reading = reading
        self.set_class(reading, "-reading")

    def action_switch(self) -> None:
        """F2: from the request to the answer and back."""
        if self.reading:
            self.focus_editor()
        else:
            self.query_one(BodyView).focus()

    def action_maximise(self) -> None:
        """F10: the console takes the whole screen (the browser hides), and back."""
        self.screen.toggle_class("-console-max")

    @on(Input.Changed, "#console-name")
    def _name_filled(self, event: Input.Changed) -> None:
        """The example method typed in with → brings its example params (or form) along."""
        area = self.query_one("#console-body", TextArea)
        if event.value == self.shape.example_method and self.shape.example and not area.text:
            area.text = self.shape.example

    # -- the editor -----------------------------------------------------------------------------
    def current_request(self) -> RawRequest:
        """The request the editor describes (UsageError when it does not make sense)."""
        return read_editor(self)

    def load_request(self, request: RawRequest) -> None:
        """Put a request (from history or a saved one) back into the editor."""
        fill_editor(self, request)

    # -- sending --------------------------------------------------------------------------------
    def action_send(self) -> None:
        """Check the profile's mode, ask when it says so, then send."""
        try:
            request = self.current_request()
        except CrmError as exc:
            self._show_error(exc)
            return
        if not self.session.backend.is_write(request):
            self.send(request)  # reads always go
            return
        summary = plain(console.describe_request(request))
        confirm_write(
            self,
            self.session,
            WritePath.RAW,
            lambda: self.send(request),
            title="Send a write?",
            body=Text(summary),
            label="Send",
            show=lambda text: self._show_error(UsageError(text)),
        )

    @work(group="console", exclusive=True, exit_on_error=False, description="console call")
    async def send(self, request: RawRequest) -> None:
        """Send through the session; the answer (or the error) comes back as a message."""
        self.query_one("#console-meta", Static).update(Text("sending…"))
        try:
            response = await console.send(self.session, request, confirmed=True)
            lines = await asyncio.to_thread(body_lines, response.body)
        except Exception as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Answered(request, response, lines))

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        response = self.response = event.response
        self.history.add(event.request, response)
        sent = Text(plain(f"{response.shown_method} {response.shown_url}"), style="bold")
        for name, value in response.shown_headers.items():
            sent.append("\n" + plain(f"{name}: {value}"))
        if response.shown_body:
            sent.append("\n" + plain(response.shown_body[:500]))
        self.query_one("#console-sent", Static).update(sent)
        self.query_one("#console-meta", Static).update(status_line(response))
        self.query_one("#console-answer-headers", Static).update(headers_line(response))
        view = self.query_one(BodyView)
        view.set_lines(event.lines)
        view.focus()  # reading: the request folds to its one line, the answer takes the room

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self._show_error(event.error)

    def _show_error(self, error: BaseException) -> None:
        info = describe(error)
        self.query_one("#console-meta", Static).update(
            Text(plain(f"{info.title}: {info.message}"), style="bold red")
        )
        self.notify(plain(info.message), title=plain(info.title), severity="error", timeout=6)

    # -- history, prompts -----------------------------------------------------------------------
    def action_recall(self, step: int) -> None:
        """Up/down: the previous or next request in the history."""
        request = self.history.previous() if step < 0 else self.history.following()
        if request is not None:
            self.load_request(request)

    def action_prompt(self, mode: str) -> None:
        """Open the one-line prompt for find, history search, save or open."""
        prompt = self.query_one("#console-prompt", Input)
        self.prompt_mode = mode
        prompt.placeholder = PROMPTS[mode]
        prompt.value = ""
        names = list(self.history.saved) if mode == "open" else []
        prompt.suggester = SuggestFromList(names) if names else None
        prompt.add_class("-open")
        prompt.focus()

    def action_close_prompt(self) -> None:
        """Escape: close the prompt."""
        self.query_one("#console-prompt", Input).remove_class("-open")
        self.prompt_mode = ""

    @on(Input.Submitted, "#console-prompt")
    def _prompted(self, event: Input.Submitted) -> None:
        event.stop()
        mode = self.prompt_mode
        self.action_close_prompt()
        answer_prompt(self, mode, event.value)

    @on(Input.Submitted, "#console-target, #console-name, #console-headers")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_send()

    # -- copying --------------------------------------------------------------------------------
    @work(group="console-curl", exclusive=True, exit_on_error=False, description="copy as curl")
    async def action_copy_curl(self) -> None:
        """Copy the request as curl, every secret a shell variable reference."""
        try:
            request = self.current_request()
            text = await to_curl(
                self.session.profile, request, secrets=self.session.backend.secrets
            )
        except Exception as exc:
            self.post_message(self.Failed(exc))
            return
        self.last_curl = text
        self.app.copy_to_clipboard(text)
        self.notify("Copied as curl; secrets are $CRMTUI_… variables.", timeout=4)

    def action_copy_body(self) -> None:
        """Copy the response body (as received, secrets masked) to the clipboard (OSC 52)."""
        if self.response is None:
            self.notify("Nothing to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(self.response.body)
        self.notify(f"Copied the body ({self.response.size:,} bytes).", timeout=3)
