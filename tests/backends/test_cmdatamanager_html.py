"""CMDataManager values typed in the web UI come back HTML-encoded: crmtui shows them decoded
(get, list, the edit's base) and an edit of `&`, `<`, `"` is stored as typed, never re-encoded."""

from __future__ import annotations

from crmtui.model import Change, Query
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.sandbox.store import Store
from crmtui.services import edits
from crmtui.services.session import Session


def encoded_lead(store: Store) -> tuple[str, str]:
    for rid, data in store.list(CMD_NS, "lead", offset=0, limit=300):
        if "&amp;" in str(data.get("Company")):
            return rid, str(data["Company"])
    raise AssertionError("the seed holds no web-UI (encoded) company")


async def test_encoded_values_show_decoded(session: Session, store: Store) -> None:
    rid, stored = encoded_lead(store)
    lead = await session.backend.get("lead", rid)
    assert lead.values["Company"] == stored.replace("&amp;", "&")
    page = await session.backend.list_page("lead", Query(), 0, 100)
    shown = [str(r.values.get("Company") or "") for r in page.records]
    assert not any("&amp;" in text or "&lt;" in text or "&quot;" in text for text in shown)


async def test_an_edit_round_trips_ampersand_angle_and_quote(
    session: Session, store: Store
) -> None:
    rid, _ = encoded_lead(store)
    lead = await session.backend.get("lead", rid)
    text = 'Smith & Sons <UK> "Ltd"'
    change = Change("Company", lead.values["Company"], text)
    saved = await edits.save_changes(session, "lead", rid, [change], current=lead)
    assert saved.values["Company"] == text
    assert (await session.backend.get("lead", rid)).values["Company"] == text
    stored = store.get(CMD_NS, "lead", rid)
    assert stored is not None and stored["Company"] == text  # sent as typed, not "&amp;"
