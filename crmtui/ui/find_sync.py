"""The mirror's background sync behind the list: filled after the first page, then kept fresh,
its progress in the status line."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from crmtui.errors import CrmError, describe
from crmtui.model import Query
from crmtui.services.paging import forget, prefetch
from crmtui.ui.text import plain

if TYPE_CHECKING:
    from crmtui.backends.base import Backend
    from crmtui.services.mirror import Mirror
    from crmtui.services.mirror_sync import SyncProgress
    from crmtui.ui.find import Finder
    from crmtui.ui.screens.main import MainScreen

SYNC_GROUP = "mirror-sync"
REFRESH_EVERY = 60.0  # seconds between background refreshes of the shown entity's copy
START_AFTER = 2.0  # seconds after the first page is shown before the first sync
FIRST_PAGE_WAIT = 30.0  # seconds the sync waits at most for that first page
PROGRESS_EVERY = 1.0  # seconds between redraws of the sync's progress


class MirrorKeeper:
    """Keeps one main screen's mirror filled and fresh, telling the finder how far it got."""

    def __init__(self, finder: Finder) -> None:
        self.finder = finder

    @property
    def screen(self) -> MainScreen:
        """The screen the finder serves."""
        return self.finder.screen

    def start(self) -> None:
        """Fill the mirror, then keep the shown entity fresh (profiles with `mirror = true`)."""
        if self.finder.mirror is None:
            return
        self.screen.run_worker(
            self._sync_loop(), group=SYNC_GROUP, exclusive=True, exit_on_error=False,
            description="mirror sync",
        )  # fmt: skip

    async def _sync_loop(self) -> None:
        from crmtui.services.mirror_sync import mirrorable

        mirror = self.finder.mirror
        assert mirror is not None
        backend = self.screen.session.backend
        if REFRESH_EVERY > 0:
            await self._first_page_shown()
            await asyncio.sleep(START_AFTER)
        while True:
            shown = self.screen.entity.name if self.screen.entity else None
            try:
                names = await mirrorable(backend)
            except CrmError:
                names = []
            order = [n for n in [shown, *names] if n in names]
            for name in dict.fromkeys(order):
                try:
                    await self._sync_one(backend, mirror, name)
                except CrmError as exc:  # one entity failing leaves the others to sync
                    self.finder.sync_note = f"mirror: {name}: {describe(exc).title.lower()}"
                    self.finder.refresh_status()
            if REFRESH_EVERY <= 0:
                return  # tests: once
            await asyncio.sleep(REFRESH_EVERY)

    async def _first_page_shown(self, most: float = FIRST_PAGE_WAIT) -> None:
        """Wait until the list has its first page (or `most` seconds): start-up comes first."""
        deadline = time.monotonic() + most
        while time.monotonic() < deadline:
            if self.screen.is_mounted and self.screen.entity is not None:
                records = self.screen.records
                if records.rows or records.total is not None or records.end is not None:
                    return
            await asyncio.sleep(0.1)

    async def _sync_one(self, backend: Backend, mirror: Mirror, entity: str) -> None:
        from crmtui.services.mirror_sync import sync_entity

        was_ready = mirror.ready(entity)

        shown = [0.0]

        def progress(p: SyncProgress) -> None:
            now = time.monotonic()
            if now - shown[0] < PROGRESS_EVERY:  # the status line is redrawn once a second
                return
            shown[0] = now
            self.finder.sync_note = p.label() if p.full else ""
            self.finder.refresh_status()

        await sync_entity(backend, mirror, entity, on_progress=progress, concurrency=2)
        self.finder.sync_note = ""
        screen = self.screen
        if not was_ready and screen.entity is not None and screen.entity.name == entity:
            label = screen.entity.label
            await self._show_copy(entity)
            screen.notify(f"Local copy of {plain(label)} ready.", timeout=3)
        self.finder.refresh_status()

    def _may_show_copy(self, entity: str) -> bool:
        """Whether the list may start again from the local copy: it shows `entity` from the
        vendor, unfiltered, at its first row, and no record is shown apart (found elsewhere,
        opened by id: that stays shown)."""
        screen, finder = self.screen, self.finder
        if screen.entity is None or screen.entity.name != entity:
            return False
        apart = screen.shown is not None and screen.shown is not finder.records.current
        return (
            not finder.active
            and finder.records.cursor == 0
            and not finder.from_mirror()
            and not apart
        )

    async def _show_copy(self, entity: str) -> None:
        """The list reads `entity` from the local copy from now on. The copy's first page is
        read before the list lets go of the vendor's rows, and placed as it starts again: the
        list never shows "no rows" in between (it did, while that read waited behind the next
        entity's copy being written, and keys pressed meanwhile were lost)."""
        if not self._may_show_copy(entity):
            return
        finder = self.finder
        source = finder.source(entity)
        query = Query(sort=finder.records.list_query.sort)
        ahead = prefetch(source, entity, query, 0, max(1, min(100, source.max_page_size)))
        await asyncio.wait([ahead])
        if self._may_show_copy(entity) and finder.records.list_query.sort == query.sort:
            finder.reload_from(source)  # takes the page read ahead: its rows at once
        else:
            forget(source)  # the user moved on meanwhile: the list stays as it is
