"""The raw-call console pane: a request editor in the vendor's shape, the answer, history."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static, TextArea

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

PROMPTS = {
    "find": "find in the body (enter; n/N next/previous)",
    "history": "search the history (enter recalls the newest match)",
    "save": "save this request as…",
    "open": "open the saved request named…",
}


class ConsolePane(Vertical):
    """Send raw calls through `session` (its budget and request log); answers shown safely."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+g,f5", "send", "Send", id="console.send"),
        Binding("up", "recall(-1)", "Previous", show=False, id="console.history_prev"),
        Binding("down", "recall(1)", "Next", show=False, id="console.history_next"),
        Binding("ctrl+r", "prompt('history')", "History", id="console.history_search"),
        Binding("ctrl+f", "prompt('find')", "Find", id="console.find"),
        Binding("ctrl+s", "prompt('save')", "Save", id="console.save"),
        Binding("ctrl+o", "prompt('open')", "Open", id="console.open"),
        Binding("ctrl+n,f6", "copy_curl", "Copy curl", id="console.copy_curl"),
        Binding("ctrl+b,f7", "copy_body", "Copy body", id="console.copy_body"),
        Binding("escape", "close_prompt", "Close prompt", show=False, id="console.escape"),
    ]
    DEFAULT_CSS = """
    ConsolePane { height: 1fr; border-top: heavy $accent; }
    ConsolePane #console-line { height: auto; }
    ConsolePane #console-method { width: 14; }
    ConsolePane #console-host { width: 14; }
    ConsolePane #console-name { width: 30; }
    ConsolePane #console-target { width: 1fr; }
    ConsolePane #console-body { height: 6; }
    ConsolePane #console-sent { height: auto; max-height: 6; color: $text-muted; }
    ConsolePane #console-meta { height: auto; }
    ConsolePane #console-prompt { display: none; }
    ConsolePane #console-prompt.-open { display: block; }
    """

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

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """The request line, headers, body editor, the request as sent, status, the answer."""
        shape = self.shape
        with Horizontal(id="console-line"):
            if shape.kind == "rest":
                options = [(m, m) for m in shape.methods]
                yield Select(options, value="GET", allow_blank=False, id="console-method")
                yield Input(placeholder=shape.example or "/path?query", id="console-target")
            else:
                suggester = SuggestFromList(shape.methods, case_sensitive=False)
                yield Input(
                    placeholder=f"method, e.g. {shape.methods[0]}",
                    suggester=suggester,
                    id="console-name",
                )
            if len(shape.hosts) > 1:
                hosts = [(h, h) for h in shape.hosts]
                yield Select(hosts, value="default", allow_blank=False, id="console-host")
        if shape.kind == "rest":
            yield Input(placeholder="headers: Name: value; Other: value", id="console-headers")
        body = TextArea(id="console-body", soft_wrap=True, show_line_numbers=False)
        body.border_title = {"rest": "JSON body", "rpc": "params (JSON)", "form": "form: k=v"}[
            shape.kind
        ]
        yield body
        yield Static(id="console-sent", markup=False)
        yield Static(Text("F5 sends · ↑/↓ history · ctrl+r search"), id="console-meta")
        yield BodyView(id="console-response")
        yield Input(id="console-prompt")

    def on_mount(self) -> None:
        """Offer the vendor's first example; say when the history could not be read."""
        if self.shape.kind == "rpc":
            self.query_one("#console-body", TextArea).text = self.shape.example
        if self.history.problem:
            self.notify(plain(self.history.problem), severity="warning")

    def focus_editor(self) -> None:
        """Focus the request line."""
        self.query_one("#console-target" if self.shape.kind == "rest" else "#console-name").focus()

    # -- the editor -----------------------------------------------------------------------------
    def current_request(self) -> RawRequest:
        """The request the editor describes (UsageError when it does not make sense)."""
        shape = self.shape
        body = self.query_one("#console-body", TextArea).text
        host = "default"
        if len(shape.hosts) > 1:
            host = str(self.query_one("#console-host", Select).value)
        if shape.kind == "rest":
            method = str(self.query_one("#console-method", Select).value)
            target = self.query_one("#console-target", Input).value
            headers = [h for h in self.query_one("#console-headers", Input).value.split(";")]
            headers = [h for h in headers if h.strip()]
            return console.build_request(
                shape.vendor, method, target, body=body, headers=headers, host=host
            )
        name = self.query_one("#console-name", Input).value
        if shape.kind == "rpc":
            return console.build_request(shape.vendor, name, body=body, host=host)
        form = [line for line in body.splitlines() if line.strip()]
        return console.build_request(shape.vendor, name, form=form, host=host)

    def load_request(self, request: RawRequest) -> None:
        """Put a request (from history or a saved one) back into the editor."""
        shape = self.shape
        area = self.query_one("#console-body", TextArea)
        if len(shape.hosts) > 1 and request.host in shape.hosts:
            self.query_one("#console-host", Select).value = request.host
        if shape.kind == "rest":
            if request.method in shape.methods:
                self.query_one("#console-method", Select).value = request.method
            query = "&".join(f"{k}={v}" for k, v in request.query.items())
            target = request.path + (f"?{query}" if query else "")
            self.query_one("#console-target", Input).value = target
            headers = "; ".join(f"{k}: {v}" for k, v in request.headers.items())
            self.query_one("#console-headers", Input).value = headers
            area.text = "" if request.body is None else console.pretty_body_of(request.body)
            return
        self.query_one("#console-name", Input).value = request.method
        if shape.kind == "rpc":
            area.text = console.pretty_body_of(request.body if request.body is not None else {})
        else:
            area.text = "\n".join(f"{k}={v}" for k, v in request.form.items())

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
        ok = 200 <= response.status < 400
        meta = Text(f"HTTP {response.status}", style="bold green" if ok else "bold red")
        meta.append(f" · {response.elapsed * 1000:,.0f} ms · {response.size:,} bytes")
        for name, value in response.rate_headers.items():
            meta.append(plain(f" · {name}: {value}"), style="yellow")
        self.query_one("#console-meta", Static).update(meta)
        self.query_one(BodyView).set_lines(event.lines)

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
        mode, value = self.prompt_mode, event.value
        self.action_close_prompt()
        if mode == "find":
            found = self.query_one(BodyView).search(value)
            self.notify(f"{found:,} matching lines", timeout=3)
            self.query_one(BodyView).focus()
        elif mode == "history":
            matches = self.history.search(value)
            if matches:
                self.load_request(matches[0].request)
            self.notify(f"{len(matches):,} history matches", timeout=3)
        elif mode == "save":
            try:
                self.history.save_as(value, self.current_request())
            except (CrmError, ValueError) as exc:
                self._show_error(exc)
                return
            self.notify(f"Saved as {plain(value.strip())!r}", timeout=3)
        elif mode == "open":
            request = self.history.open_saved(value)
            if request is None:
                self.notify(f"No saved request named {plain(value)!r}", severity="warning")
            else:
                self.load_request(request)

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
