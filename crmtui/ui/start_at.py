"""`crmtui edit` / `crmtui open`: the app opens on one record (its form, or the browser on it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.worker import Worker

from crmtui.errors import CrmError, describe
from crmtui.model import Record
from crmtui.services.session import Session
from crmtui.ui.text import plain

if TYPE_CHECKING:
    from crmtui.ui.app import CrmApp
    from crmtui.ui.screens.main import MainScreen

RecordFinder = Callable[[Session], Awaitable[Record]]
START_WAIT = 15.0  # seconds `crmtui open` waits for the list's first page before showing the record


@dataclass(frozen=True)
class StartAt:
    """Open straight on one record: the edit form (`crmtui edit`) or the browser (`crmtui open`)."""

    entity: str
    """The entity's system name."""
    find: RecordFinder
    """Looks the record up once the session is open (by id, or by email)."""
    edit: bool = True
    """True: only the edit form, and the app exits after a save; False: the browser on it."""


async def start_at(app: CrmApp, session: Session, start: StartAt) -> None:
    """Find the record; show its edit form (exit after it) or the browser on it."""
    from crmtui.ui.screens.edit import EditScreen
    from crmtui.ui.screens.main import MainScreen

    try:
        entity = await session.backend.entity(start.entity)
        record = await start.find(session)
        fields = await session.backend.fields(entity.name)
    except Exception as exc:
        code = exc.exit_code if isinstance(exc, CrmError) else 1
        app.keygate.open(drop=True)
        app.exit(return_code=code, message=Text(f"crmtui: {plain(describe(exc).message)}"))
        return
    if not start.edit:
        main = MainScreen(session, app.prefs, entity.name)
        await app.push_screen(main)
        reveal_later(app, main, record)
        return

    def done(saved: Record | None) -> None:
        if saved is None:
            app.exit(return_code=1, message=Text("crmtui: nothing was saved."))
        else:
            what = f"{entity.name} {saved.title(entity)} (id {saved.id})"
            app.exit(return_code=0, message=Text(f"crmtui: saved {plain(what)}."))

    await app.push_screen(EditScreen(session, entity, fields, record), done)
    app.keygate.open()  # keys typed meanwhile go into the form


def reveal_later(app: CrmApp, main: MainScreen, record: Record) -> Worker[None]:
    """`reveal`, in a worker of its own."""

    async def show() -> None:
        await reveal(app, main, record)

    return app.run_worker(
        show, group="start", exclusive=True, exit_on_error=False, description="show record"
    )


async def reveal(app: CrmApp, main: MainScreen, record: Record) -> None:
    """Once the list has its first page, put the cursor on `record` (or show it beside)."""
    deadline = time.monotonic() + START_WAIT
    try:
        while time.monotonic() < deadline and (main.entity is None or main.records.current is None):
            await asyncio.sleep(0.05)
        if not main.go_to(record.id):
            main.show_apart(record, "It is not among the loaded rows")
    finally:
        app.keygate.open()  # keys typed meanwhile act on the record shown
