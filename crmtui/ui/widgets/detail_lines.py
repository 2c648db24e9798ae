"""The detail pane's lines: a field's label and wrapped value; what differs between two lines."""

from __future__ import annotations

from collections.abc import Hashable

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.strip import Strip

from crmtui.model import FieldSpec, Record, format_value
from crmtui.ui.text import block, plain

INDENT = 2  # values sit under their label, indented
PAD = 1  # a blank cell either side of every line


def field_texts(spec: FieldSpec, record: Record, *, system_names: bool) -> tuple[Text, Text]:
    """One field as shown in the pane: its label line and its (inert) value."""
    head = Text(plain(spec.label), style="bold")
    if spec.custom:
        head.append(" ◆ custom", style="italic magenta")
    if system_names:
        head.append(f"  {plain(spec.name)}", style="dim")
    value = record.values.get(spec.name)
    blank = format_value(value, spec) == ""
    return head, Text("—", style="dim") if blank else block(value, spec)


def field_lines(
    spec: FieldSpec, record: Record, *, system_names: bool, width: int, console: Console
) -> list[Text]:
    """The field's screen lines at `width` cells: the label, then the value wrapped and indented."""
    head, body = field_texts(spec, record, system_names=system_names)
    lines = []
    for text, indent in ((head, 0), (body, INDENT)):
        for line in text.wrap(console, max(width - indent, 1), overflow="fold"):
            # append_text turns the base style into a span, which Text.render keeps.
            lines.append(Text(" " * indent).append_text(line))
    return lines


def line_key(text: Text) -> Hashable:
    """What a line's look depends on: its characters and their styles."""
    return (text.plain, str(text.style), tuple((s.start, s.end, str(s.style)) for s in text.spans))


def changed_cells(old: Strip, new: Strip) -> tuple[int, int]:
    """The cell range [start, end) outside which two strips of one width look the same."""
    a = [(char, segment.style) for segment in old for char in segment.text]
    b = [(char, segment.style) for segment in new for char in segment.text]
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    start = cell_len("".join(char for char, _ in a[:prefix]))
    tail = cell_len("".join(char for char, _ in a[len(a) - suffix :]))
    width = max(old.cell_length, new.cell_length)
    end = width - tail
    return (start, end) if start < end else (0, width)
