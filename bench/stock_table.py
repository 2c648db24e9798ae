"""Context: Textual's stock DataTable loading the same leads, beside our record list.

The leads are read from the sandbox store up front (no HTTP), then timed from `add_rows` until
the table has been painted once; ours is the first-rows figure on the same sandbox.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bench.core import Row, stopwatch

COLUMNS = ("FirstName", "LastName", "Email", "Phone", "Company", "Status")


def leads(data_dir: Path, records: int) -> list[tuple[str, ...]]:
    """The first `records` leads of the CMDataManager sandbox, as rows of text."""
    from crmtui.sandbox.store import Store
    from crmtui.services.demo import demo_store_path

    store = Store(demo_store_path(data_dir))
    try:
        found = store.list("cmdatamanager", "lead", offset=0, limit=records)
    finally:
        store.close()
    return [tuple(str(data.get(c, "")) for c in COLUMNS) for _, data in found]


async def load_seconds(rows: list[tuple[str, ...]]) -> float:
    """Seconds for a DataTable to take `rows` and paint."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Stock(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    app = Stock()
    async with app.run_test(size=(120, 40)) as pilot:
        table: Any = app.query_one(DataTable)
        table.add_columns(*COLUMNS)
        await pilot.pause()
        elapsed = stopwatch()
        table.add_rows(rows)
        await pilot.pause()
        table.refresh()
        await pilot.pause()
        return elapsed()


def measure(data_dir: Path, records: int, ours: float | None) -> Row:
    """The context row: the stock table's load time, ours beside it."""
    seconds = asyncio.run(load_seconds(leads(data_dir, records)))
    return Row(
        "stock_datatable",
        f"Textual's stock DataTable loading {records:,} rows",
        f"{seconds:.2f} s",
        "—" if ours is None else f"{ours * 1000:.0f} ms our first rows",
        None if not ours else seconds / ours,
        "",
        None,
        note="context only: the stock table holds and measures every row before it paints",
        details={"seconds": seconds, "records": records},
    )
