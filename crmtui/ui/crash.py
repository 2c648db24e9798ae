"""The TUI's crash hook: an unhandled error shows one short redacted line, never a traceback.

Textual's default prints a traceback with local variables (secrets included). Textual renders
an unhandled error that has a `__rich__` method through the public `App.panic` instead, so the
hook gives the error a `__rich__` answering the short message (`services.crash`, which also
writes the private crash file) and lets Textual do the rest: return code 1, the exit, and the
test harness re-raising the original error. Textual 8.2.8 offers no public "unhandled error"
hook, so `CrashSafeApp` overrides the one method every unhandled error passes through
(`App._handle_exception`) and touches no other Textual internals; `App.exit`, `App.panic` and
`App.return_code` are public.
"""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.app import App

from crmtui.services.crash import crash_message

T = TypeVar("T")


def shown_briefly(error: Exception) -> tuple[Exception, str]:
    """`error`, rendered by Rich (and so by Textual's panic) as the short redacted message."""
    message = crash_message(error)
    text = Text(message)  # plain text, never markup
    try:
        error.__rich__ = lambda: text  # type: ignore[attr-defined]
    except (AttributeError, TypeError):  # an error that takes no attributes: wrap it instead
        wrapper = RuntimeError(message)
        wrapper.__rich__ = lambda: text  # type: ignore[attr-defined]
        wrapper.__cause__ = error
        return wrapper, message
    return error, message


class CrashSafeApp(App[T]):
    """An App whose unhandled errors show `crash_message`; the text stays in `crash_file_message`
    so the launcher can print it again after the terminal is restored."""

    crash_file_message: str | None = None

    def _handle_exception(self, error: Exception) -> None:
        shown, self.crash_file_message = shown_briefly(error)
        super()._handle_exception(shown)
