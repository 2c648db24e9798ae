"""A small observer of crmtui's own writes, so a mirror (or anything else) follows them at once.

`services.edits` calls `written` after a write lands; listeners are per session and never
break a write (an error in one is logged and ignored).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from crmtui.model import Record

if TYPE_CHECKING:
    from crmtui.services.session import Session

Listener = Callable[[str, str, Record | None], None]
"""Called with (entity, record id, the record as the vendor now holds it, or None: deleted)."""

_listeners: dict[int, list[Listener]] = {}
_log = logging.getLogger(__name__)


def observe(session: Session, listener: Listener) -> Callable[[], None]:
    """Call `listener` after each write of `session`; returns a function that stops it."""
    _listeners.setdefault(id(session), []).append(listener)

    def stop() -> None:
        found = _listeners.get(id(session), [])
        if listener in found:
            found.remove(listener)
        if not found:
            _listeners.pop(id(session), None)

    return stop


def written(session: Session, entity: str, record_id: str, record: Record | None) -> None:
    """Tell the listeners of `session` that a record was written (None: deleted)."""
    for listener in list(_listeners.get(id(session), [])):
        try:
            listener(entity, record_id, record)
        except Exception:  # a listener never breaks a write that already landed
            _log.exception("a write listener failed")
