"""The console's response body: pretty, highlighted JSON drawn line by line, with search.

Only the visible lines are styled and drawn (Textual's line API), so a 5 MB answer costs one
`json.loads`/`json.dumps` and then nothing per screen but the rows on it. Very long lines are cut.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from crmtui.model.sanitize import inert
from crmtui.services.console import pretty_body

MAX_LINE = 2000
"""Characters of one line that are drawn; the rest is shown as an ellipsis."""
_CACHE = 512

_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))|(?P<str>"(?:[^"\\]|\\.)*")'
    r"|(?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(?P<lit>\btrue\b|\bfalse\b|\bnull\b)"
)
STYLES: dict[str, Style] = {
    "key": Style(color="cyan", bold=True),
    "str": Style(color="green"),
    "num": Style(color="magenta"),
    "lit": Style(color="yellow"),
}
MATCH = Style(reverse=True)


def body_lines(body: str) -> list[str]:
    """The body as inert display lines: JSON indented, anything else as received."""
    text = pretty_body(body)
    return [inert(line, keep_newlines=False) for line in text.split("\n")]


def highlight(line: str, term: str = "") -> list[Segment]:
    """One line as styled segments (JSON tokens coloured, `term` matches reversed)."""
    cut = line if len(line) <= MAX_LINE else line[:MAX_LINE] + "…"
    styles: list[Style | None] = [None] * len(cut)
    for match in _TOKEN.finditer(cut):
        kind = match.lastgroup or ""
        for i in range(match.start(), match.end()):
            styles[i] = STYLES.get(kind)
    if term:
        lowered, needle = cut.lower(), term.lower()
        start = lowered.find(needle)
        while start >= 0:
            for i in range(start, start + len(needle)):
                styles[i] = (styles[i] or Style()) + MATCH
            start = lowered.find(needle, start + len(needle))
    segments: list[Segment] = []
    run_start = 0
    for i in range(1, len(cut) + 1):
        if i == len(cut) or styles[i] != styles[run_start]:
            segments.append(Segment(cut[run_start:i], styles[run_start]))
            run_start = i
    return segments


class BodyView(ScrollView, can_focus=True):
    """A scrollable, searchable view of a response body; draws only what is on screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_match", "Next match", id="console.next_match"),
        Binding("N", "previous_match", "Previous match", show=False, id="console.prev_match"),
    ]
    DEFAULT_CSS = """
    BodyView { height: 1fr; border: round $panel; }
    BodyView:focus { border: round $accent; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[str] = []
        self.term = ""
        self.matches: list[int] = []
        self.match_index = -1
        self._strips: dict[int, Strip] = {}

    def set_body(self, body: str) -> None:
        """Show a new body from the top; the search term is kept and applied again."""
        self.set_lines(body_lines(body))

    def set_lines(self, lines: list[str]) -> None:
        """Show ready display lines."""
        self.lines = lines
        width = min(max((len(line) for line in lines), default=0), MAX_LINE + 1)
        self.virtual_size = Size(width, len(lines))
        self._strips.clear()
        self.scroll_to(0, 0, animate=False)
        self.search(self.term)

    @property
    def text(self) -> str:
        """The whole displayed body (for tests and copying)."""
        return "\n".join(self.lines)

    def search(self, term: str) -> int:
        """Highlight `term` and go to its first match; returns how many lines match."""
        self.term = term
        needle = term.lower()
        self.matches = (
            [i for i, line in enumerate(self.lines) if needle in line.lower()] if term else []
        )
        self.match_index = -1
        self._strips.clear()
        self.refresh()
        if self.matches:
            self.action_next_match()
        return len(self.matches)

    def action_next_match(self) -> None:
        """Scroll to the next matching line."""
        self._step(1)

    def action_previous_match(self) -> None:
        """Scroll to the previous matching line."""
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self.matches:
            return
        self.match_index = (self.match_index + delta) % len(self.matches)
        line = self.matches[self.match_index]
        self.scroll_to(y=max(0, line - self.size.height // 3), animate=False)

    @property
    def current_match(self) -> int | None:
        """The line of the current match, if any."""
        return self.matches[self.match_index] if self.match_index >= 0 else None

    def render_line(self, y: int) -> Strip:
        """One visible row, styled on first use and cached."""
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            if len(self._strips) > _CACHE:
                self._strips.clear()
            strip = Strip(highlight(self.lines[index], self.term))
            self._strips[index] = strip
        base = self.rich_style  # the theme's colours under every token, no bare patches
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_style(base)
