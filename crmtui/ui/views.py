"""Saved views and the export of what the list shows, for the main screen.

A view names the filter, sort and columns of one entity (kept per profile by
`services.views`); it opens from the palette, the entity pane or `crmtui list --view`. The
export writes what the list shows: the filter's matches (or every row) in the list's order,
the shown columns, to a file the user names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmtui.errors import UsageError
from crmtui.model import Query, Record
from crmtui.services.views import View, Views
from crmtui.ui.screens.ask_text import AskText
from crmtui.ui.text import plain

if TYPE_CHECKING:
    from crmtui.ui.screens.main import MainScreen

VIEW_PREFIX = "view:"


def saved_views(main: MainScreen) -> list[View]:
    """The profile's saved views."""
    return Views().list(main.session.profile.name)


def view_commands(main: MainScreen) -> list[tuple[str, Callable[[], Any], str]]:
    """Palette commands: save the current view, open each saved one, export with a file name."""
    found: list[tuple[str, Callable[[], Any], str]] = [
        ("Save view as…", partial(ask_view_name, main), "name this filter, sort and columns"),
    ]
    for view in saved_views(main):
        run = partial(open_view, main, view)
        found.append((f"Open view: {view.name}", run, view.describe()))
    return found


def current_view(main: MainScreen, name: str) -> View:
    """The list as it is now, as a view called `name`."""
    if main.entity is None:
        raise UsageError("no entity is shown")
    records = main.records
    expr = main.finder.expr
    return View(
        name=name,
        entity=main.entity.name,
        filter=expr.text if expr is not None else "",
        sort=View.sort_text(records.list_query.sort),
        columns=tuple(c.name for c in records.columns),
    )


def ask_view_name(main: MainScreen) -> None:
    """Ask for a name, then keep the current view under it."""

    def chosen(name: str | None) -> None:
        if name:
            Views().save(main.session.profile.name, current_view(main, name))
            main.notify(f"Saved view {plain(name)}.", timeout=4)
            main.show_views()

    main.app.push_screen(AskText("Save this view as", placeholder="view name"), chosen)


def open_view(main: MainScreen, view: View) -> None:
    """Show `view`: its entity, columns, sort, then its filter."""
    main.run_worker(
        _open_view(main, view), group="view", exclusive=True, exit_on_error=False,
        description="open view",
    )  # fmt: skip


async def _open_view(main: MainScreen, view: View) -> None:
    if main.entity is None or main.entity.name != view.entity:
        await main.open_entity(view.entity).wait()
    records = main.records
    if view.columns:
        records.set_columns(list(view.columns))
    sort = view.sort_spec
    if sort is not None and sort != records.list_query.sort:
        records.reload(Query((), sort, records.list_query.fields))
    if view.filter:
        bar = main.search_bar
        bar.value = view.filter
        bar.add_class("-open")
        main.finder.submit(view.filter)
    main.notify(f"View {plain(view.name)}", timeout=2)


def ask_export(main: MainScreen, fmt: str) -> None:
    """Ask where to write, then export what the list shows there."""
    if main.entity is None:
        return
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{main.session.profile.name}-{main.entity.name}-{stamp}.{fmt}"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    default = str(Path.cwd() / safe)

    def chosen(path: str | None) -> None:
        if path:
            main.export(fmt, path=Path(path).expanduser())

    main.app.push_screen(AskText(f"Export {fmt.upper()} to", value=default), chosen)


async def export_shown(main: MainScreen, fmt: str, path: Path) -> int:
    """Write what the list shows to `path`: the filter's matches in the list's order."""
    from crmtui.services.export import export_view, write_pages  # loaded when first used

    assert main.entity is not None
    records = main.records
    entity = main.entity.name
    columns = tuple(c.name for c in records.columns)
    sort = records.list_query.sort
    backend = main.session.backend
    specs = await backend.fields(entity)
    finder = main.finder
    with path.open("w", encoding="utf-8", newline="") as out:
        if finder.expr is None:
            query = Query(records.list_query.filters, sort, columns, records.list_query.text)
            if finder.from_mirror():
                return await write_pages(_pages(main, None), fmt, out, columns, specs)
            return await export_view(backend, entity, query, fmt, out)
        return await write_pages(_pages(main, finder.expr), fmt, out, columns, specs)


async def _pages(main: MainScreen, expr: Any) -> AsyncIterator[list[Record]]:
    from crmtui.model.filter import Expr
    from crmtui.services import search

    assert main.entity is not None
    records = main.records
    sort = records.list_query.sort
    mirror = main.finder.mirror if main.finder.from_mirror() else None
    if mirror is not None:
        async for page in search.mirror_matches(
            mirror, main.entity.name, expr or Expr(), sort=sort
        ):
            yield page
        return
    pages = search.iter_matches(main.session.backend, main.entity.name, expr, sort=sort)
    async for page in pages:
        yield page
