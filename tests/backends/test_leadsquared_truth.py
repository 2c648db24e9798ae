"""The LeadSquared backend on what the public record adds: quick search, a lead's opportunities,
visitor convert, and web-UI values (HTML-encoded on the wire) shown decoded and edited safely."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.cli.main import main
from crmtui.errors import NotFound, UsageError
from crmtui.model import Change, Filter, Query
from crmtui.sandbox.leadsquared.app import create_app, sandbox_profile
from crmtui.sandbox.leadsquared.seed import LEAD, NS, VISITOR
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services import demo, edits
from crmtui.services.session import Session, open_session

BASE = "https://lsq.invalid"


def make_profile() -> LeadSquaredProfile:
    values: dict[str, Any] = {
        "name": "lsq-truth",
        "vendor": "leadsquared",
        "base_url": BASE,
        "mode": "write",
        **sandbox_profile(BASE),
        "async_captures": False,
    }
    return LeadSquaredProfile.model_validate(values)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
async def session(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Session]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = create_app(store, records=60, seed=4)
    s = await open_session(make_profile(), transport=in_process_transport(app))
    yield s
    await s.aclose()


def sent(session: Session) -> list[str]:
    return [e.url.split("?")[0].rsplit("/", 1)[-1] for e in session.log.entries]


async def test_a_word_searches_names_emails_and_companies(session: Session) -> None:
    lead = (await session.backend.list_page("lead", Query(), 0, 1)).records[0]
    word = str(lead.values["LastName"])[:4]
    page = await session.backend.list_page("lead", Query((Filter("EmailAddress", word),)), 0, 50)
    assert lead.id in [r.id for r in page.records]
    assert sent(session)[-1] == "Leads.GetByQuickSearch"
    email = str(lead.values["EmailAddress"]).upper()
    page = await session.backend.list_page("lead", Query((Filter("EmailAddress", email),)), 0, 50)
    assert [r.id for r in page.records] == [lead.id]


async def test_a_leads_opportunities_and_their_details(session: Session, store: Store) -> None:
    rows = store.list(NS, "opportunity", offset=0, limit=1)
    lead_id = rows[0][1]["RelatedProspectId"]
    query = Query((Filter("RelatedProspectId", lead_id),))
    page = await session.backend.list_page("opportunity", query, 0, 50)
    assert page.total == len(page.records) >= 1
    assert all(r.values["RelatedProspectId"] == lead_id for r in page.records)
    one = await session.backend.get("opportunity", page.records[0].id)
    assert one.values["Status"] in ("Open", "Won", "Lost")
    assert one.values["OpportunityName"] == page.records[0].values["OpportunityName"]
    with pytest.raises(NotFound):
        await session.backend.get("opportunity", "00000000-0000-4000-8000-000000000000")
    unfiltered = await session.backend.list_page("opportunity", Query(), 0, 50)
    assert unfiltered.records == [] and "RelatedProspectId" in unfiltered.notes[0]
    with pytest.raises(UsageError, match="RelatedProspectId"):
        await session.backend.list_page("opportunity", Query((Filter("Status", "Open"),)), 0, 50)


async def test_convert_a_visitor_through_the_action(session: Session, store: Store) -> None:
    actions = [a.name for a in await session.backend.actions("lead")]
    assert "convert" in actions
    visitor = store.list(NS, VISITOR, offset=0, limit=1)[0][0]
    message = await edits.run_action(
        session, "lead", visitor, "convert", {"EmailAddress": "visitor@x.io", "FirstName": "Vi"}
    )
    assert "converted" in message
    lead = await session.backend.get("lead", visitor)
    assert lead.values["EmailAddress"] == "visitor@x.io" and lead.values["FirstName"] == "Vi"


async def test_web_ui_values_show_decoded_and_edit_without_double_encoding(
    session: Session, store: Store
) -> None:
    encoded = [
        (rid, data)
        for rid, data in store.list(NS, LEAD, offset=0, limit=60)
        if "&amp;" in str(data.get("Company"))
    ]
    rid, data = encoded[0]
    lead = await session.backend.get("lead", rid)
    assert lead.values["Company"] == str(data["Company"]).replace("&amp;", "&")
    page = await session.backend.list_page("lead", Query(), 0, 60)
    listed = next(r for r in page.records if r.id == rid)
    assert "&amp;" not in str(listed.values["Company"])
    text = 'A & B <c> "d"'
    change = Change("Company", lead.values["Company"], text)
    saved = await edits.save_changes(session, "lead", rid, [change], current=lead)
    assert saved.values["Company"] == text
    stored = store.get(NS, LEAD, rid)
    assert stored is not None and stored["Company"] == text  # sent raw, never encoded twice


async def test_a_leads_opportunities_are_its_related_records(
    session: Session, store: Store
) -> None:
    lead_id = store.list(NS, "opportunity", offset=0, limit=1)[0][1]["RelatedProspectId"]
    (group,) = await session.backend.related("lead", lead_id)
    assert group.label == "Opportunities" and group.entity == "opportunity"
    assert group.records and all(r.values["RelatedProspectId"] == lead_id for r in group.records)


def test_crmtui_get_lead_related_lists_its_opportunities(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(demo, "open_demo", functools.partial(demo.open_demo, records=30))
    seeded = Store()
    create_app(seeded, records=30, seed=0)  # the demo's own seed
    opportunity_id, opp = seeded.list(NS, "opportunity", offset=0, limit=1)[0]
    assert main(["--demo", "-p", "demo-leadsquared", "get", "lead", opp["RelatedProspectId"],
                 "--related"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "Opportunities: " in out and opportunity_id in out
