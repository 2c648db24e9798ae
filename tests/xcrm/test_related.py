"""The generic `Backend.related()`: related lists from reference fields, for vendors without a
call of their own (CMDataManager account contacts/opportunities, LeadSquared lead opportunities)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crmtui.model import Query
from crmtui.profiles.loader import get_profile
from crmtui.services.demo import Demo, open_demo
from crmtui.services.session import Session, open_session


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    demo = open_demo(data_dir=tmp_path, reset=True, records=200)
    yield demo
    demo.close()


async def session_of(demo: Demo, name: str) -> Session:
    return await open_session(get_profile(demo.config, name), transport=demo.transports[name])


async def test_an_accounts_contacts_and_opportunities(demo: Demo) -> None:
    session = await session_of(demo, "demo-cmdatamanager")
    try:
        backend = session.backend
        opportunities = (await backend.list_page("opportunity", Query(), 0, 100)).records
        account = next(str(o.values["Account"]) for o in opportunities if o.values.get("Account"))
        groups = {g.entity: g for g in await backend.related("account", account)}
        assert {"contact", "opportunity"} <= set(groups)
        assert groups["opportunity"].records
        assert all(str(r.values["Account"]) == account for r in groups["opportunity"].records)
        assert all(str(r.values["Account"]) == account for r in groups["contact"].records)
    finally:
        await session.aclose()


async def test_a_leads_opportunities_through_the_vendors_search(demo: Demo) -> None:
    session = await session_of(demo, "demo-leadsquared")
    try:
        backend = session.backend
        leads = (await backend.list_page("lead", Query(), 0, 50)).records
        seen = 0
        for lead in leads:
            groups = {g.entity: g for g in await backend.related("lead", lead.id)}
            records = groups["opportunity"].records
            assert all(r.values["RelatedProspectId"] == lead.id for r in records)
            seen += len(records)
        assert seen  # every seventh lead has opportunities
    finally:
        await session.aclose()


async def test_an_accounts_linked_tasks_and_a_tasks_parent(demo: Demo) -> None:
    from crmtui.services.history_nav import links

    session = await session_of(demo, "demo-cmdatamanager")
    try:
        backend = session.backend
        tasks = (await backend.list_page("task", Query(), 0, 500)).records
        task = next(t for t in tasks if t.values.get("RelatedEntity") == "account")
        account = str(task.values["RelatedExternalID"])
        groups = {g.entity: g for g in await backend.related("account", account)}
        assert task.id in {r.id for r in groups["task"].records}
        assert all(r.values["RelatedExternalID"] == account for r in groups["task"].records)
        assert groups["task"].label == "Tasks (linked)"

        (parent, *_) = await backend.related("task", task.id)
        assert parent.entity == "account" and [r.id for r in parent.records] == [account]
        # the task's parent is a reference to follow, like a lookup
        fields = await backend.fields("task")
        found = links(task, fields)
        assert [(link.entity, link.record_id) for link in found] == [("account", account)]
    finally:
        await session.aclose()
