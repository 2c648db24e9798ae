"""Nothing lost, nothing leaked: crash-report masks, pending writes on start and quit, the outbox.

The crash hook itself is `crmtui.ui.crash.CrashSafeApp`, which the app derives from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.services.crash import add_mask
from crmtui.services.journal import pending_summary
from crmtui.services.session import Session
from crmtui.ui.text import plain

if TYPE_CHECKING:
    from crmtui.ui.app import CrmApp


def session_opened(app: CrmApp, session: Session) -> None:
    """Mask the session's secrets in any crash report; offer the writes still pending."""
    redactor = getattr(session, "redactor", None)  # test doubles may have none
    if redactor is not None:
        add_mask(redactor.text)
    summary = pending_summary(session.profile.name)
    if summary:
        app.notify(
            plain(summary) + " Press o for the outbox.",
            title="Pending writes",
            severity="warning",
            timeout=12,
        )


def quit_warning(app: CrmApp) -> str | None:
    """What quitting now would leave behind: an unsaved form, or writes not yet applied."""
    from crmtui.ui.screens.edit import EditScreen

    parts = []
    if any(isinstance(s, EditScreen) and s.has_unsaved_changes for s in app.screen_stack):
        parts.append("The form has unsaved changes; they will be lost.")
    if app.session is not None:
        summary = pending_summary(app.session.profile.name)
        if summary:
            parts.append(summary)
    return "\n".join(parts) or None


def push_outbox(app: CrmApp) -> None:
    """The outbox of the open profile."""
    from crmtui.ui.screens.outbox import OutboxScreen

    if app.session is None:
        app.notify("No profile is open.", severity="warning")
        return
    app.push_screen(OutboxScreen(app.session))
