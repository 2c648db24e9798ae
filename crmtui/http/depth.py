"""A guard against answers nested too deeply to parse: found in C-speed passes, no recursion.

Python's `json` parser recurses once per level and raises RecursionError near 1,000 levels; a
broken or hostile server can send that in a few kilobytes. No CRM answer needs more than a few
levels, so anything past `MAX_DEPTH` is refused before a backend parses it.
"""

from __future__ import annotations

MAX_DEPTH = 200
"""Arrays and objects nested deeper than this make an answer unusable."""

_OPEN_CLOSE = bytes.maketrans(b"{}", b"[]")
_NOT_KEPT = bytes(b for b in range(256) if b not in b'"[]{}')


def _brackets(body: bytes) -> bytes:
    """The brackets of `body` outside strings, `{}` as `[]`: a few C-speed passes, no regex.

    Escaped backslashes, then escaped quotes go first (escapes pair from the left, as JSON
    reads them; skipped when there is no backslash); what is left between quotes is a string.
    Of the quotes and brackets kept, a pair of adjacent quotes goes next: an empty string, or
    the end of one string and the start of the next with nothing between — either way the
    brackets inside strings stay inside strings, and most pages lose every quote here. A
    backslash outside a string makes the text invalid where it stands, so the parser stops
    there before any nesting that follows.
    """
    flat = body.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in body else body
    kept = flat.translate(_OPEN_CLOSE, _NOT_KEPT).replace(b'""', b"")
    return b"".join(kept.split(b'"')[::2]) if b'"' in kept else kept


def too_deep(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON text `body` nests arrays/objects more than `limit` levels deep.

    Strings are dropped (brackets inside them do not count), then innermost `[]` pairs are
    removed a level per pass: a pass per level of real nesting, each one `bytes.replace`.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _brackets(body)
    for _ in range(limit):
        shorter = brackets.replace(b"[]", b"")
        if shorter == brackets:  # nothing left, or not balanced: the parser will say so
            return False
        brackets = shorter
    return b"[]" in brackets
