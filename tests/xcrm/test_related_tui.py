"""CMDataManager in the TUI: an account's detail lists its linked tasks; a task's detail names
the record it was created under (driven by Pilot at 80x24, through `g`, the go-to-id key)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from crmtui.model import Query
from crmtui.profiles.loader import get_profile
from crmtui.services.demo import Demo, open_demo
from crmtui.services.session import open_session
from crmtui.ui.launch import app_for_config
from crmtui.ui.prefs import memory_prefs
from crmtui.ui.screens.main import MainScreen
from crmtui.ui.widgets.related import RelatedPanel

from ..ui.helpers import until

PROFILE = "demo-cmdatamanager"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=200)
    yield demo
    demo.close()


async def a_task_under_an_account(demo: Demo) -> tuple[str, str, str, str]:
    """(task id, its subject, the account it was created under, its name), from the vendor."""
    profile = get_profile(demo.config, PROFILE)
    session = await open_session(profile, transport=demo.transports[PROFILE])
    try:
        tasks = (await session.backend.list_page("task", Query(), 0, 500)).records
        task = next(t for t in tasks if t.values.get("RelatedEntity") == "account")
        account = str(task.values["RelatedExternalID"])
        name = (await session.backend.get("account", account)).values["Name"]
    finally:
        await session.aclose()
    return task.id, str(task.values["Subject"]), account, str(name)


async def shown_related(pilot: Pilot[Any], entity: str, record_id: str) -> str:
    """Go to `record_id` with g, and return the related lists under its detail."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, MainScreen))
    main = app.screen
    assert isinstance(main, MainScreen)
    await until(pilot, lambda: main.entity is not None and main.entity.name == entity)
    await until(pilot, lambda: main.records.current is not None)
    await pilot.press("g", *record_id, "enter")
    await until(pilot, lambda: main.shown is not None and main.shown.id == record_id)
    panel = main.query_one(RelatedPanel)
    await until(pilot, lambda: panel.display and not panel.has_class("-loading"))
    return str(panel.render())


async def test_an_accounts_detail_lists_its_tasks(demo: Demo) -> None:
    _, subject, account, _ = await a_task_under_an_account(demo)
    app = app_for_config(demo.config, PROFILE, memory_prefs(), dict(demo.transports))
    app.entity = "account"
    async with app.run_test(size=(80, 24)) as pilot:
        text = await shown_related(pilot, "account", account)
    assert "Tasks (linked):" in text, text
    assert subject in text


async def test_a_tasks_detail_names_the_record_it_belongs_to(demo: Demo) -> None:
    task_id, _, _, name = await a_task_under_an_account(demo)
    app = app_for_config(demo.config, PROFILE, memory_prefs(), dict(demo.transports))
    app.entity = "task"
    async with app.run_test(size=(80, 24)) as pilot:
        text = await shown_related(pilot, "task", task_id)
    assert f"Related to (Accounts): {name}" in text, text
