"""SharpSpring as the real vendor behaves (issue 13): ghosts, HTML-encoded values, events, lists."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from crmtui.errors import NotFound
from crmtui.model import Capability, Change, Filter, Query
from crmtui.profiles.model import SharpSpringProfile
from crmtui.sandbox.sharpspring.app import ACCOUNT_ID, SECRET_KEY, create_app
from crmtui.sandbox.sharpspring.seed import UI_COLOR
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.export import export_view
from crmtui.services.session import Session, open_session
from crmtui.services.watch import Watcher

COLOR = "Favorite_Color_5a0dd86e6e290"
UI_LEAD = "321000040"  # the first lead the seed stores as the web UI would (HTML-encoded)


class Clock:
    """The emulator's clock: each reading moves it on a little (under 10 requests a second);
    a test moves it on further to let visitors' events arrive."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        self.now += 0.11
        return self.now


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store(":memory:")
    create_app(store, records=200, seed=5)
    return store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def session(store: Store, clock: Clock) -> AsyncIterator[Session]:
    profile = SharpSpringProfile.model_validate(
        {"name": "truth", "vendor": "sharpspring", "base_url": "https://ss.invalid",
         "mode": "write", "account_id": ACCOUNT_ID, "secret_key": SECRET_KEY}
    )  # fmt: skip
    app = create_app(store, clock=clock)
    s = await open_session(profile, transport=in_process_transport(app))
    yield s
    await s.aclose()


async def test_an_unknown_lead_id_is_not_found_although_the_vendor_answers_a_ghost(
    session: Session,
) -> None:
    answer = await session.backend.call("getLead", {"id": 99999999999})  # type: ignore[attr-defined]
    assert answer["lead"][0]["leadStatus"] == "open" and "id" not in answer["lead"][0]
    with pytest.raises(NotFound):
        await session.backend.get("lead", "99999999999")
    with pytest.raises(NotFound):
        await session.backend.delete("lead", "99999999999")


async def test_values_typed_in_the_web_ui_show_decoded(session: Session) -> None:
    raw = await session.backend.call("getLead", {"id": int(UI_LEAD)})  # type: ignore[attr-defined]
    assert raw["lead"][0]["companyName"] == "Procter &amp; Gamble"  # as the vendor sends it
    lead = await session.backend.get("lead", UI_LEAD)
    assert lead.values["companyName"] == "Procter & Gamble"
    assert lead.values[COLOR] == "Blue <3" and UI_COLOR == "Blue &lt;3"
    by_email = Query((Filter("emailAddress", lead.values["emailAddress"]),))
    page = await session.backend.list_page("lead", by_email, 0, 1)
    assert page.records[0].values["companyName"] == "Procter & Gamble"
    others = [await session.backend.get("lead", str(321000040 + 40 * n)) for n in (2, 3)]
    assert [o.values["companyName"] for o in others] == [
        "Marks & Spencer <UK>",  # a standard field's `<` is stored twice encoded
        '"Quoted" Holdings',
    ]


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_exports_show_decoded_values_and_the_id_once(session: Session, fmt: str) -> None:
    out = io.StringIO()
    await export_view(session.backend, "lead", Query(), fmt, out, limit=200)
    text = out.getvalue()
    assert "&amp;" not in text and "&lt;" not in text
    assert "Procter & Gamble" in text or "Ben & Jerry's" in text
    if fmt == "csv":
        header = text.splitlines()[0].split(",")
        assert header.count("id") == 1, header[:3]


async def test_the_id_is_a_record_id_not_a_field(session: Session) -> None:
    lead = await session.backend.get("lead", UI_LEAD)
    assert lead.id == UI_LEAD and "id" not in lead.values
    assert "id" not in [f.name for f in await session.backend.fields("lead")]


async def test_an_edit_round_trips_amp_lt_and_quotes(session: Session, store: Store) -> None:
    text = 'A & B <c> "d" &amp; 1<2'
    before = await session.backend.get("lead", "321000007")
    after = await session.backend.update(
        "lead", "321000007", [Change("title", before.values.get("title"), text)]
    )
    assert after.values["title"] == text.replace("&amp;", "&")  # a literal &amp; reads as &
    stored = store.get("sharpspring", "lead", "321000007")
    assert stored is not None and stored["title"] == text  # sent raw, never double-encoded
    again = await session.backend.update(
        "lead", "321000007", [Change("title", text, 'Tom & "Jerry" <3')]
    )
    assert again.values["title"] == 'Tom & "Jerry" <3'


async def test_events_list_by_lead_and_kind(session: Session) -> None:
    backend = session.backend
    spec = await backend.entity("event")
    assert spec.search_fields == ("leadID", "eventSource")
    page = await backend.list_page("event", Query((Filter("eventSource", "formSubmit"),)), 0, 20)
    assert page.records and {r.values["eventSource"] for r in page.records} == {"formSubmit"}
    lead = page.records[0].values["leadID"]
    mine = await backend.list_page("event", Query((Filter("leadID", str(lead)),)), 0, 50)
    assert mine.records and all(str(r.values["leadID"]) == str(lead) for r in mine.records)
    assert isinstance(mine.records[0].values["createTimestamp"], dt.datetime)


async def test_watch_events_sees_new_email_opens_page_visits_and_form_fills(
    session: Session, clock: Clock
) -> None:
    await session.backend.list_page("event", Query(), 0, 1)  # the emulator's clock starts
    since = dt.datetime.fromtimestamp(clock.now, dt.UTC)
    watcher = Watcher(session.backend, "event", since=since)
    await watcher.check()
    clock.now += 600  # ten minutes of visitors
    changes = await watcher.poll()
    kinds = {c.record.values["eventSource"] for c in changes}
    assert changes and kinds <= {"emailOpened", "pageVisit", "formSubmit"}
    assert all(c.kind == "new" and c.at is not None and c.at >= since for c in changes)
    assert await watcher.poll() == []  # nothing twice
    only = Watcher(
        session.backend, "event", since=since, filters=(Filter("eventSource", "pageVisit"),)
    )
    assert {c.record.values["eventSource"] for c in await only.poll()} <= {"pageVisit"}


async def test_watch_leads_filtered_by_email_addresses(session: Session) -> None:
    backend = session.backend
    since = dt.datetime.now(dt.UTC)
    for n in (1, 2, 3):
        await backend.create("lead", {"emailAddress": f"watched.{n}@example.test"})
    wanted = Filter("emailAddress", "WATCHED.1@example.test,watched.3@example.test")
    watcher = Watcher(backend, "lead", since=since, filters=(wanted,))
    emails = sorted(c.record.values["emailAddress"] for c in await watcher.poll())
    assert emails == ["watched.1@example.test", "watched.3@example.test"]
    page = await backend.list_page("lead", Query((wanted,)), 0, 50)
    assert sorted(r.values["emailAddress"] for r in page.records) == emails


async def test_a_leads_lists_and_recent_activity(session: Session) -> None:
    backend = session.backend
    lead = "321000011"
    said = await backend.run_action("lead", lead, "add_to_list", {"listID": "Hot prospects"})
    assert "added to list Hot prospects" in said
    again = await backend.run_action("lead", lead, "add_to_list", {"listID": "Hot prospects"})
    assert "already" in again
    groups = {g.label: g for g in await backend.related("lead", lead)}
    assert [r.values["name"] for r in groups["Lists"].records] == ["Hot prospects"]
    activity = groups["Recent activity"]
    assert activity.entity == "event"
    assert all(str(r.values["leadID"]) == lead for r in activity.records)
    gone = await backend.run_action("lead", lead, "remove_from_list", {"listID": "Hot prospects"})
    assert "removed" in gone
    groups = {g.label: g for g in await backend.related("lead", lead)}
    assert groups["Lists"].records == ()
    with pytest.raises(NotFound):
        await backend.run_action("lead", lead, "remove_from_list", {"listID": "Hot prospects"})


async def test_deal_stages_read(session: Session) -> None:
    stages = await session.backend.list_page("deal_stage", Query(), 0, 50)
    names: list[Any] = [r.values["dealStageName"] for r in stages.records]
    assert "Prospecting" in names
    assert not (await session.backend.entity("deal_stage")).can(Capability.UPDATE)
