"""The screen shown instead of a traceback when a profile file or profile cannot be used."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from crmtui.errors import describe
from crmtui.ui.text import plain
from crmtui.ui.widgets.key_footer import ScreenFooter


@dataclass(frozen=True)
class ProblemInfo:
    """What is wrong (title, message naming file/profile/key) and where the file is."""

    title: str
    message: str
    path: Path | None = None

    @classmethod
    def from_error(cls, exc: BaseException, path: Path | None = None) -> ProblemInfo:
        """A problem from any error, without a traceback."""
        info = describe(exc)
        return cls(info.title, info.message, path)


def fix_hint(problem: ProblemInfo) -> str:
    """How to get going again."""
    where = f"Edit {problem.path}" if problem.path is not None else "Fix the profile file"
    return (
        f"{where} (or pass another with --config FILE, or pick a profile with -p NAME),\n"
        "then start crmtui again.\n\n"
        "To look around without a CRM account, start the demo:  crmtui --demo"
    )


class ProblemScreen(Screen[None]):
    """A clear explanation and the way out; q quits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit", id="problem.quit"),
        Binding("escape", "app.quit", "Quit", show=False, id="problem.escape"),
    ]
    DEFAULT_CSS = """
    ProblemScreen { align: center middle; }
    ProblemScreen #problem { width: 90%; max-width: 100; height: auto; border: heavy $error;
        padding: 1 2; }
    ProblemScreen #problem-title { text-style: bold; color: $error; margin-bottom: 1; }
    ProblemScreen #problem-hint { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, problem: ProblemInfo) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        """Title, message, hint."""
        with Vertical(id="problem"):
            yield Static(Text(plain(self.problem.title)), id="problem-title")
            yield Static(
                Text(plain(self.problem.message, keep_newlines=True)), id="problem-message"
            )
            yield Static(Text(fix_hint(self.problem)), id="problem-hint")
        yield ScreenFooter()
