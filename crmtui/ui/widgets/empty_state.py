"""What an empty pane says instead of a blank table: why it is empty and what to do about it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from crmtui.model import Capability, EntitySpec
from crmtui.model.sent import SentRecord
from crmtui.ui.text import plain

SENT_SHOWN = 5  # calls of the send history shown in an unreadable list's place


class EmptyState(Static):
    """A padded, muted note in place of rows; hidden until there is something to say."""

    DEFAULT_CSS = """
    EmptyState { display: none; height: 1fr; padding: 1 2; color: $text-muted; }
    EmptyState.-shown { display: block; }
    """

    def say(self, text: Text | None) -> None:
        """Show `text`, or hide when None."""
        self.set_class(text is not None, "-shown")
        self.update(text if text is not None else "")


def heading(text: str) -> Text:
    """A bold first line."""
    return Text(text, style="bold")


def list_empty(
    entity: EntitySpec,
    *,
    search: str = "",
    filtered: bool = False,
    can_create: bool = True,
    sent: Sequence[SentRecord] | None = None,
    about: str = "",
) -> Text:
    """Why the list of `entity` shows no rows, and the keys that help."""
    label = plain(entity.label)
    if entity.note:
        text = heading(f"No {label} to show here.")
        text.append("\n" + plain(entity.note) + ".\n")
        if sent is not None:
            if about:
                sent = [e for e in sent if e.email.strip().lower() == about.strip().lower()]
            text.append("\n")
            text.append_text(sent_summary(sent, about))
        if entity.can(Capability.GET):
            text.append("\n\ng + an email  what the vendor holds for it (in the detail pane)")
        text.append("\nn  add or update one   ·   ctrl+p  Sent history, Add or update")
        return text
    if search or filtered:
        what = f' match "{plain(search)}"' if search else " match the filter"
        text = heading(f"No {label}{what}.")
        text.append("\n\nEsc clears the search · / searches again · r reloads")
        return text
    text = heading(f"No {label} yet.")
    keys = "n creates one · r reloads" if can_create else "r reloads"
    text.append(f"\n\n{keys}")
    return text


def sent_summary(sent: Sequence[SentRecord], about: str = "") -> Text:
    """The newest calls sent through this profile: when, to whom, and what the vendor said."""
    if not sent:
        whom = f"for {plain(about)} " if about else ""
        return Text(f"Nothing has been sent {whom}through this profile yet.")
    whom = f" for {plain(about)}" if about else ""
    text = Text(f"What crmtui sent{whom} (newest first):", style="bold")
    for entry in list(sent)[:SENT_SHOWN]:
        when = dt.datetime.fromtimestamp(entry.at).strftime("%m-%d %H:%M")
        answer = "OK" if entry.ok else f"refused: {entry.text or entry.code}"
        text.append(f"\n  {when}  {plain(entry.method)}  {plain(entry.email or '-')}  ")
        text.append(plain(answer), style="green" if entry.ok else "red")
    if len(sent) > SENT_SHOWN:
        text.append(f"\n  … {len(sent) - SENT_SHOWN:,} more in the Sent history")
    return text
