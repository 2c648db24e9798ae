"""The opportunity-capture form: event code, note, date, fields by schema name; sync or async."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Switch, TextArea

from crmtui.backends.capabilities import Captures
from crmtui.errors import CrmError, ValidationFailed
from crmtui.model.capture import CaptureRequest, CaptureResult
from crmtui.model.sanitize import inert
from crmtui.services.jobs import Job, JobsFile, capture
from crmtui.services.write_policy import WritePath
from crmtui.ui.confirm import confirm_write, write_refused

if TYPE_CHECKING:
    from crmtui.services.session import Session

Captured = tuple[CaptureResult, Job | None]


def parse_fields(text: str) -> dict[str, str]:
    """`SchemaName=value` lines (blank lines skipped); ValidationFailed naming a bad line."""
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise ValidationFailed({"Fields": f"line {number}: expected SchemaName=value"})
        values[name.strip()] = value.strip()
    return values


class CaptureScreen(ModalScreen[Captured | None]):
    """Capture an opportunity for a lead; dismisses with (result, job) or None when cancelled.

    The async switch starts as the profile's `async_captures` says; an async capture's RequestID
    lands in the jobs file, where the Jobs view follows it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="capture.cancel"),
        Binding("ctrl+s", "submit", "Capture", id="capture.submit"),
    ]
    DEFAULT_CSS = """
    CaptureScreen { align: center middle; }
    CaptureScreen > Vertical {
        width: 80%; max-width: 90; height: auto; max-height: 95%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    CaptureScreen Input { margin: 0 0 1 0; }
    CaptureScreen TextArea { height: 5; margin: 0 0 1 0; }
    CaptureScreen .row { height: auto; }
    CaptureScreen #capture-error { color: $error; height: auto; }
    CaptureScreen Button { margin: 0 0 0 2; }
    """

    def __init__(
        self,
        session: Session,
        email: str = "",
        *,
        jobs: JobsFile | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.email = email
        self.jobs = jobs
        self.now = now

    def compose(self) -> ComposeResult:
        """The form."""
        when = (self.now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M:%S")
        backend = self.session.backend
        asynchronous = isinstance(backend, Captures) and backend.capture_async_default()
        with Vertical():
            yield Label("Capture an opportunity", classes="dialog-title", markup=False)
            yield Label("Lead email", markup=False)
            yield Input(inert(self.email), id="capture-email")
            yield Label("Opportunity event code", markup=False)
            yield Input(id="capture-event", type="integer", placeholder="e.g. 12231")
            yield Label("Note", markup=False)
            yield Input(id="capture-note")
            yield Label("Date and time (yyyy-mm-dd hh:mm:ss)", markup=False)
            yield Input(when, id="capture-date")
            yield Label("Fields, one SchemaName=value per line (e.g. mx_Custom_1=1)", markup=False)
            yield TextArea(id="capture-fields")
            with Horizontal(classes="row"):
                yield Label("Send through the async API ", markup=False)
                yield Switch(asynchronous, id="capture-async")
            yield Label("", id="capture-error", markup=False)
            with Horizontal(classes="row"):
                yield Button("Capture", variant="primary", id="capture-submit")
                yield Button("Cancel", id="capture-cancel")

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def request(self) -> CaptureRequest:
        """The form as a CaptureRequest; ValidationFailed naming each bad field."""
        errors: dict[str, str] = {}
        code_text = self._value("#capture-event")
        code = int(code_text) if code_text.lstrip("-").isdigit() else 0
        if code <= 0:
            errors["Event code"] = "is required (a whole number)"
        when: dt.datetime | None = None
        date_text = self._value("#capture-date")
        if date_text:
            try:
                when = dt.datetime.strptime(date_text, "%Y-%m-%d %H:%M:%S")
            except ValueError:
                errors["Date"] = "must be yyyy-mm-dd hh:mm:ss"
        try:
            fields = parse_fields(self.query_one("#capture-fields", TextArea).text)
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
            fields = {}
        if errors:
            raise ValidationFailed(errors)
        request = CaptureRequest(
            self._value("#capture-email"),
            code,
            note=self._value("#capture-note"),
            when=when,
            fields=fields,
        )
        request.check()
        return request

    @on(Button.Pressed, "#capture-submit")
    def action_submit(self) -> None:
        """Check the form, then send it in a worker."""
        error = self.query_one("#capture-error", Label)

        def show(text: str) -> None:
            error.update(inert(text))

        if write_refused(self, self.session, WritePath.CAPTURE, show=show):
            return
        try:
            request = self.request()
        except ValidationFailed as exc:
            error.update(inert(exc.message))
            return
        asynchronous = self.query_one("#capture-async", Switch).value

        def go() -> None:
            error.update("Sending…")
            self.query_one("#capture-submit", Button).disabled = True
            self.send(request, asynchronous)

        how = "async" if asynchronous else "sync"
        confirm_write(
            self,
            self.session,
            WritePath.CAPTURE,
            go,
            title=f"Capture opportunity {request.event_code} for {request.email} ({how})?",
            label="Capture",
            declined=lambda: error.update("Not sent; the form is kept."),
            show=show,
        )

    @work(group="capture", exclusive=True, exit_on_error=False, description="capture")
    async def send(self, request: CaptureRequest, asynchronous: bool) -> None:
        """Capture; dismiss with the outcome, or show the error and let the user fix the form."""
        try:
            outcome = await capture(
                self.session, request, asynchronous=asynchronous, jobs=self.jobs
            )
        except CrmError as exc:
            self.query_one("#capture-error", Label).update(f"{exc.title}: {inert(exc.message)}")
            self.query_one("#capture-submit", Button).disabled = False
            return
        self.dismiss(outcome)

    @on(Button.Pressed, "#capture-cancel")
    def action_cancel(self) -> None:
        """Close without sending."""
        self.dismiss(None)
