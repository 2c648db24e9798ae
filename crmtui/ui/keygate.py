"""Keys one at a time: a burst (a paste, a laggy SSH link) is handled like keys typed slowly.

Textual forwards each key to the widget focused *when the key arrives*. When several keys arrive
in one read, they are all forwarded before the first has been handled, so a key that opens the
search bar or a dialog sends the keys behind it to the old focus (`/kelly` at once ran `e`, edit).

The gate holds keys and pastes in a backlog and releases the next one only once the previous one
has gone all the way up its widget chain to the app, and the focus and the screen stack it may
have changed have settled (a few round trips through the app's and the screen's queues).

A gate made `closed` holds every key until `open` is called: keys typed while the app starts
(over SSH, `crmtui` then `/kelly` at once) wait for the screen they were typed for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message
from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from textual.app import App

HANDLED_WAIT = 1.0  # seconds a key may take to come back to the app before the next goes anyway
ROUND_WAIT = 0.5  # seconds one round trip through a queue may take
MAX_ROUNDS = 8  # round trips before the focus is taken as settled


class KeyHandled(Message):
    """Posted to the key's target right behind it; it bubbles up the same chain to the app."""

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token


class KeyGate:
    """The app's backlog of keys and pastes, released one at a time."""

    def __init__(self, app: App[Any], *, closed: bool = False) -> None:
        self.app = app
        self.starting = closed
        """True until `open`: keys are held, none released."""
        self.backlog: deque[events.Event] = deque()
        self.released: set[int] = set()
        self.waiting: dict[int, asyncio.Future[None]] = {}
        self.task: asyncio.Task[None] | None = None
        self.enabled = True

    def hold(self, event: events.Event) -> bool:
        """True when the gate takes `event` (the app must not handle it now)."""
        if not self.enabled or not isinstance(event, (events.Key, events.Paste)):
            return False
        if event.is_forwarded:
            return False
        if id(event) in self.released:
            self.released.discard(id(event))
            return False
        self.backlog.append(event)
        if not self.starting:
            self._release()
        return True

    def open(self, *, drop: bool = False) -> None:
        """Start-up is over: the keys held meanwhile go, in order, to the screen now shown
        (`drop`: they are forgotten, start-up having ended elsewhere than where they were
        meant to go). Later calls do nothing."""
        if not self.starting:
            return
        self.starting = False
        if drop:
            self.backlog.clear()
        if self.backlog:
            self._release()

    def _release(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._pump())

    def target(self) -> MessagePump:
        """Where the app forwards a key now."""
        return self.app.focused or self.app.screen

    def follow(self, target: MessagePump, event: events.Event) -> None:
        """After the app forwarded `event` to `target`: send the marker up behind it."""
        future = self.waiting.get(id(event))
        if future is None:
            return
        if not target.post_message(KeyHandled(id(event))) and not future.done():
            future.set_result(None)

    def handled(self, message: KeyHandled) -> None:
        """The marker reached the app: the key has been handled along its whole chain."""
        future = self.waiting.get(message.token)
        if future is not None and not future.done():
            future.set_result(None)

    async def _pump(self) -> None:
        loop = asyncio.get_running_loop()
        while self.backlog:
            event = self.backlog.popleft()
            token = id(event)
            self.released.add(token)
            if self._typed_as_text(event):  # text into a field moves nothing: no need to wait
                if not self.app.post_message(event):
                    self.released.discard(token)
                    return
                continue
            future: asyncio.Future[None] = loop.create_future()
            self.waiting[token] = future
            try:
                before = self._state()
                if not self.app.post_message(event):
                    self.released.discard(token)
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(future), HANDLED_WAIT)
                await _round_trip(self.app)  # a focus() the key asked for lands here
                # The key may also have posted a message (Enter submits a field: the palette
                # then closes and runs its command, which opens a dialog): wait until the focus
                # and the screen rest, whether or not they have moved yet.
                await self._settle(moved=self._state() != before)
            finally:
                self.waiting.pop(token, None)

    def _typed_as_text(self, event: events.Event) -> bool:
        """A printable key (or a paste) the focused field takes as text, bound to nothing."""
        focused = self.app.focused
        if focused is None:
            return False
        if isinstance(event, events.Paste):
            return focused.check_consume_key("a", "a")
        if not isinstance(event, events.Key) or not event.is_printable:
            return False
        return focused.check_consume_key(event.key, event.character)

    def _state(self) -> tuple[int, int, int]:
        """What a key may change for the keys behind it: the screen, the stack, the focus."""
        app = self.app
        return (id(app.screen), len(app.screen_stack), id(app.focused))

    async def _settle(self, moved: bool = True) -> None:
        """Round trips through the focused widget, the app and the screen until the focus and
        the screen stop moving (two rounds alike; three when nothing has moved yet)."""
        last: tuple[int, int] | None = None
        alike = 0
        for _ in range(MAX_ROUNDS):
            focused = self.app.focused
            if focused is not None:
                await _round_trip(focused)
            await _round_trip(self.app)
            screen = self.app.screen
            await _round_trip(screen)
            now = (id(self.app.screen), id(self.app.focused))
            alike = alike + 1 if now == last and screen.is_mounted else 0
            if alike >= (1 if moved else 2):
                return
            last = now

    def close(self) -> None:
        """Stop releasing keys (the app is closing)."""
        self.enabled = False
        self.backlog.clear()
        if self.task is not None:
            self.task.cancel()


async def _round_trip(pump: MessagePump) -> None:
    """Wait until `pump` has handled everything queued before now."""
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def arrived() -> None:
        if not future.done():
            future.set_result(None)

    if not pump.call_later(arrived):
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(future, ROUND_WAIT)
