"""The Jobs view: a profile's async vendor jobs, polled in the background, with their outcome."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from crmtui.model.sanitize import inert
from crmtui.services.jobs import Job, JobPoller, JobsFile
from crmtui.ui.text import cell
from crmtui.ui.widgets.empty_state import EmptyState, heading
from crmtui.ui.widgets.key_footer import ScreenFooter

if TYPE_CHECKING:
    from crmtui.services.session import Session

STYLES = {"pending": "yellow", "succeeded": "green", "failed": "red"}


class JobsChanged(Message):
    """The poller saw some jobs change (the screen reloads the file)."""

    def can_replace(self, message: Message) -> bool:
        """A newer change notice makes an unhandled older one pointless."""
        return isinstance(message, JobsChanged)


def job_detail(job: Job) -> Text:
    """Everything about one job, vendor text made inert (never markup)."""
    created = dt.datetime.fromtimestamp(job.created).strftime("%Y-%m-%d %H:%M:%S")
    out = Text()
    out.append(f"{job.outcome()}\n", style=f"bold {STYLES.get(job.status, '')}")
    if job.status == "failed":
        out.append(
            "Final: the vendor will not try again.\n"
            if job.final
            else "Not final: the vendor retries this request; it is still being checked.\n"
        )
    out.append(f"Request {job.request_id} · {job.kind} · created {created}\n")
    out.append(f"Vendor status: {inert(job.vendor_status)} · checked {job.checks} time(s)\n")
    if job.message:
        out.append("\nVendor's message:\n", style="bold")
        out.append(inert(job.message, keep_newlines=True) + "\n")
    out.append("\nOriginal request (secrets masked):\n", style="bold")
    body = json.dumps(job.request, indent=2, ensure_ascii=False)
    out.append(inert(body, keep_newlines=True))
    return out


class JobsScreen(Screen[None]):
    """Pending, succeeded and failed jobs of `session`'s profile, newest first.

    While shown it polls open jobs in a worker (within the rate budget) and re-reads the jobs
    file every second, so changes made by another process appear too.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="jobs.close"),
        Binding("r", "refresh_now", "Check now", id="jobs.refresh"),
    ]
    DEFAULT_CSS = """
    JobsScreen DataTable { height: 1fr; }
    JobsScreen #job-detail-scroll { height: 1fr; border-top: solid $accent; }
    JobsScreen #jobs-title { padding: 0 1; text-style: bold; }
    """

    def __init__(
        self, session: Session, jobs: JobsFile | None = None, *, interval: float = 2.0
    ) -> None:
        super().__init__()
        self.session = session
        self.jobs = jobs if jobs is not None else JobsFile()
        self.interval = interval
        self.shown: list[Job] = []
        self.poller: JobPoller | None = None

    def compose(self) -> ComposeResult:
        """A table of jobs and the selected job's details."""
        name = self.session.profile.name
        yield Label(f"Async jobs — {inert(name)}", id="jobs-title", markup=False)
        table: DataTable[Text] = DataTable(id="jobs-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("Created", "Outcome", "Vendor status", "Kind", "Request", "Message")
        yield table
        yield EmptyState(id="jobs-empty")
        with VerticalScroll(id="job-detail-scroll"):
            yield Static(Text("No job selected."), id="job-detail")
        yield ScreenFooter()

    def on_mount(self) -> None:
        """Show the file, then keep it fresh and poll open jobs."""
        self.reload()
        self._say_empty()
        self.set_interval(1.0, self.reload)
        if hasattr(self.session.backend, "job_status"):
            self.poller = JobPoller(
                self.session,
                self.jobs,
                interval=self.interval,
                on_change=self._notice,
            )
            self.poll()

    def _notice(self, jobs: list[Job]) -> None:
        self.post_message(JobsChanged())

    @work(group="jobs-poller", exclusive=True, exit_on_error=False, description="poll jobs")
    async def poll(self) -> None:
        """Poll until the screen goes away (the worker is cancelled with it)."""
        assert self.poller is not None
        await self.poller.run()

    @on(JobsChanged)
    def _changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Re-read the jobs file and redraw the table, keeping the selected row."""
        jobs = sorted(self.jobs.for_profile(self.session.profile.name), key=lambda j: -j.created)
        if [(j.request_id, j.outcome(), j.message, j.checks) for j in jobs] == [
            (j.request_id, j.outcome(), j.message, j.checks) for j in self.shown
        ]:
            return
        table = self.query_one("#jobs-table", DataTable)
        row = table.cursor_row
        table.clear()
        for job in jobs:
            created = dt.datetime.fromtimestamp(job.created).strftime("%m-%d %H:%M:%S")
            table.add_row(
                cell(created),
                cell(job.outcome(), style=STYLES.get(job.status, "")),
                cell(job.vendor_status),
                cell(job.kind),
                cell(job.request_id),
                cell(job.message),
                key=job.request_id,
            )
        self.shown = jobs
        self._say_empty()
        if jobs:
            table.move_cursor(row=min(max(row, 0), len(jobs) - 1))
        self._show_detail()

    def _say_empty(self) -> None:
        """No jobs: say what makes one and that this screen follows them, not a blank table."""
        empty = not self.shown
        self.query_one("#jobs-table", DataTable).display = not empty
        self.query_one("#job-detail-scroll").display = not empty
        if not empty:
            self.query_one(EmptyState).say(None)
            return
        text = heading("No async jobs yet for this profile.")
        text.append(
            "\nA write sent through the vendor's async API (an async capture, say) is queued "
            "by the vendor; it appears here and its outcome is checked every "
            f"{self.interval:g} s, in this screen or by `crmtui jobs`.\n\nEsc goes back"
        )
        self.query_one(EmptyState).say(text)

    def _show_detail(self) -> None:
        table = self.query_one("#jobs-table", DataTable)
        detail = self.query_one("#job-detail", Static)
        if not self.shown or table.cursor_row >= len(self.shown):
            detail.update(Text("No async jobs yet for this profile."))
            return
        detail.update(job_detail(self.shown[table.cursor_row]))

    @on(DataTable.RowHighlighted, "#jobs-table")
    def _highlighted(self) -> None:
        self._show_detail()

    async def action_refresh_now(self) -> None:
        """Check open jobs now (one round)."""
        if self.poller is not None:
            await self.poller.poll_once()
            self.reload()

    def action_close(self) -> None:
        """Back to where the user came from."""
        self.dismiss(None)
