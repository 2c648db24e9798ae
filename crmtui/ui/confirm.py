"""The one confirm helper of the UI: every write asks the write policy, then refuses, asks or goes.

Refused: a notification (and the form's message line, when given) says why, worded for the
write. Asks: a dialog (ConfirmScreen, or the write's own, such as the typed delete) and `go`
only on yes. Proceeds: `go` at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual.screen import ModalScreen
from textual.widget import Widget

from crmtui.services.write_policy import HasMode, Verdict, WritePath, decide
from crmtui.ui.text import plain

if TYPE_CHECKING:
    from crmtui.services.session import Session

Show = Callable[[str], None]


def verdict(session: Session, path: WritePath) -> Verdict:
    """The write policy's answer for `path` on the session's profile."""
    profile: HasMode = session.profile
    return decide(profile, path)


def refused_sentence(answer: Verdict) -> str:
    """The refusal as a sentence for the screen."""
    text = answer.message
    return text[:1].upper() + text[1:] + "."


def write_refused(
    widget: Widget, session: Session, path: WritePath, *, show: Show | None = None
) -> bool:
    """Whether the policy refuses `path`; if so the user is told (and `show` gets the text)."""
    answer = verdict(session, path)
    if not answer.refused:
        return False
    text = refused_sentence(answer)
    if show is not None:
        show(text)
    widget.notify(plain(text), severity="error", markup=False)
    return True


def confirm_write(
    widget: Widget,
    session: Session,
    path: WritePath,
    go: Callable[[], object],
    *,
    title: str = "",
    body: RenderableType = "",
    label: str = "Yes",
    declined: Callable[[], object] | None = None,
    show: Show | None = None,
    dialog: ModalScreen[bool] | None = None,
    always_ask: bool = False,
) -> None:
    """Refuse, ask (`dialog`, or a ConfirmScreen of `title`/`body`/`label`), or `go` on.

    `always_ask` asks even where the profile writes without asking (a delete's typed check).
    """
    if write_refused(widget, session, path, show=show):
        return
    if not (always_ask or verdict(session, path).asks):
        go()
        return
    if dialog is None:
        from crmtui.ui.screens.dialogs import ConfirmScreen

        shown = Text(plain(body)) if isinstance(body, str) else body
        dialog = ConfirmScreen(plain(title), shown, confirm_label=label)

    def answered(ok: bool | None) -> None:
        if ok:
            go()
        elif declined is not None:
            declined()

    widget.app.push_screen(dialog, answered)
