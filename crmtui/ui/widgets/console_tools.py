"""The console's helpers: the answer's status and header lines, the editor's request, prompts."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input, Select, TextArea

from crmtui.errors import CrmError
from crmtui.model.raw import RawRequest, RawResponse
from crmtui.services import console
from crmtui.ui.text import plain
from crmtui.ui.widgets.console_body import BodyView

if TYPE_CHECKING:
    from crmtui.ui.widgets.console import ConsolePane

PROMPTS = {
    "find": "find in the body (enter; n/N next/previous)",
    "history": "search the history (enter recalls the newest match)",
    "save": "save this request as…",
    "open": "open the saved request named…",
}


def status_line(response: RawResponse) -> Text:
    """`HTTP 200 OK · 20 ms · 1,234 bytes` and the rate-limit headers, coloured by outcome."""
    ok = 200 <= response.status < 400
    try:
        reason = " " + HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    line = Text(f"HTTP {response.status}{reason}", style="bold green" if ok else "bold red")
    line.no_wrap, line.overflow = True, "ellipsis"
    line.append(f" · {response.elapsed * 1000:,.0f} ms · {response.size:,} bytes")
    for name, value in response.rate_headers.items():
        line.append(plain(f" · {name}: {value}"), style="yellow")
    return line


def headers_line(response: RawResponse) -> Text:
    """The answer's headers on one line (`name: value · …`), rate-limit ones already shown."""
    shown = [
        f"{name.lower()}: {value}"
        for name, value in response.headers.items()
        if name not in response.rate_headers
    ]
    return Text(plain(" · ".join(shown)) or "no headers", no_wrap=True, overflow="ellipsis")


def read_editor(self: ConsolePane) -> RawRequest:
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


def fill_editor(self: ConsolePane, request: RawRequest) -> None:
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


def answer_prompt(self: ConsolePane, mode: str, value: str) -> None:
    """Do what the prompt was opened for (find, history search, save, open) with `value`."""
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
