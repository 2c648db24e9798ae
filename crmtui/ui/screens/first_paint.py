"""A screen whose first frame is painted whole: layout goes on, painting waits until it settles.

Building a screen, its first page, a list's scroll bar, the footer's keys and a detail pane each
ask for a frame: four or five paintings of a screen half built (40-90 ms of CPU each at start-up,
and their bytes over SSH) before the one the user came for. While held, Textual still lays the
screen out, so every widget has its size and its content when the first frame is painted.
"""

from __future__ import annotations

from functools import partial

from textual.screen import Screen

SETTLE_POLL = 0.005
"""Seconds between looks at whether the widgets have settled, before the first frame."""


class FirstPaint(Screen[None]):
    """`hold_frames` as the screen opens; `paint_when_settled` once its content is in."""

    FIRST_FRAME_WAIT = 0.2
    """Seconds the screen, as it opens, waits for its content before it is painted without it."""

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        self._painting_held = False
        self._paint_due = False

    @property
    def painting_held(self) -> bool:
        """Whether the first frame is still being held back."""
        return self._painting_held

    def hold_frames(self) -> None:
        """Paint nothing until `paint_when_settled` is called (or `FIRST_FRAME_WAIT` is over)."""
        self._painting_held = True
        self.app.set_timer(self.FIRST_FRAME_WAIT, self.release_frames, name="first frame")

    def release_frames(self) -> None:
        """Paint again, the whole screen at once, once the layout on its way is done."""
        self._paint_due = True  # whatever the widgets still have to do
        self.paint_when_settled()

    def drop_hold(self) -> None:
        """The screen is going: nothing is held any more (nothing is painted either)."""
        self._painting_held = False

    def paint_when_settled(self) -> None:
        """The content is in: paint once it is laid out and the widgets have settled."""
        if self._painting_held:
            self.call_after_refresh(self._paint_settled)

    def _paint_settled(self) -> None:
        """Paint the regions kept meanwhile (since the screen's first layout, the whole screen)
        in one frame, once the widgets have handled what the last layout told them (a new size
        reflows a pane, which may then want a scroll bar): a callback after refresh."""
        if not self._painting_held:
            return
        if not self._paint_due and any(
            not node._message_queue.empty() for node in self.walk_children(with_self=False)
        ):
            self.set_timer(SETTLE_POLL, partial(self.call_after_refresh, self._paint_settled))
            return
        self._painting_held = False
        self._compositor_refresh()

    def _compositor_refresh(self) -> None:
        # Textual's paint step: skipped while held. The regions to repaint stay in the
        # compositor; the widgets' own marks are dropped, or the screen would never be idle.
        if self._painting_held:
            self._dirty_widgets.clear()
            return
        super()._compositor_refresh()
