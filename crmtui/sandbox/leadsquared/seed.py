"""Seeds the LeadSquared namespace with leads (wire-format strings) from one seeded generator.

The same seed and count give the same leads with the same ProspectIDs; emails are unique (a
number is added on a clash), timestamps fall in 2023-2025 whatever today's date is. Besides the
leads: a few website visitors (for Lead.Convert), opportunities on every seventh lead, and, on
every thirteenth lead, a Company and Notes typed in the web UI, so stored HTML-encoded
(`Procter &amp; Gamble`). These extras draw from their own generator, so the leads stay as they
were.
"""

from __future__ import annotations

import html
import random
import uuid
from typing import Any

from crmtui.sandbox.leadsquared import schema
from crmtui.sandbox.seed import FakeData, shared_slots
from crmtui.sandbox.store import Store

NS = "leadsquared"
LEAD = "lead"
OPPORTUNITY = "opportunity"
VISITOR = "visitor"
VISITORS = 12
# Values as a user typed them into the web UI; the vendor stores them HTML-encoded.
UI_COMPANIES = ("Procter & Gamble", "Marks & Spencer", 'The "Quoted" Co', "R&D <Labs>")
UI_NOTES = ('Said "call me after 5" & hung up', "Budget < 10k & needs approval")
_NOTES = (
    "Asked for pricing for 50 seats.",
    "Downloaded the brochure twice.",
    "Wants a call after the 15th.",
    "Came from the webinar on automation.",
)


def guid(fake: FakeData) -> str:
    """A GUID drawn from the generator (lower-case, as LeadSquared writes them)."""
    return str(uuid.UUID(int=fake.rng.getrandbits(128), version=4))


def lead(fake: FakeData, number: int, emails: set[str]) -> tuple[str, dict[str, Any]]:
    """One seeded lead: (ProspectID, its fields as the API stores them)."""
    first, last = fake.person()
    company = fake.company() if fake.chance(0.8) else None
    email = fake.email(first, last, company.domain if company and fake.chance(0.6) else None)
    while email in emails:
        email = f"{fake.num(2, 999)}{email}"
    emails.add(email)
    city, _, _, prefix = fake.place()
    created = fake.moment()
    pid = guid(fake)
    data: dict[str, Any] = {
        "ProspectID": pid,
        "ProspectAutoId": str(number),
        "FirstName": first,
        "LastName": last,
        "EmailAddress": email,
        "Company": company.name if company else None,
        "Phone": fake.phone(prefix) if fake.chance(0.6) else None,
        "Mobile": fake.mobile() if fake.chance(0.5) else None,
        "Website": f"https://www.{company.domain}" if company and fake.chance(0.4) else None,
        "Source": fake.pick(schema.SOURCES),
        "ProspectStage": fake.pick(schema.STAGES),
        "Score": str(fake.num(0, 250)),
        "Revenue": f"{fake.num(0, 90_000)}.{fake.num(0, 99):02}" if fake.chance(0.5) else None,
        "DoNotEmail": "1" if fake.chance(0.08) else "0",
        "DoNotCall": "1" if fake.chance(0.05) else "0",
        "OwnerId": fake.pick(tuple(o for o, _ in schema.OWNERS)),
        "CreatedOn": fake.stamp(created) + ".000",
        "ModifiedOn": fake.stamp(fake.moment(created)) + ".000",
        "mx_City": city if fake.chance(0.7) else None,
        "mx_Budget": str(fake.num(1, 500) * 1000) if fake.chance(0.4) else None,
        "mx_Industry": fake.pick(schema.INDUSTRIES) if fake.chance(0.6) else None,
        "mx_Newsletter": "1" if fake.chance(0.3) else "0",
        "mx_Notes": fake.pick(_NOTES) if fake.chance(0.15) else None,
    }
    if fake.chance(0.3):
        data["mx_Next_Follow_Up"] = fake.stamp(fake.moment())[:10]
    return pid, {k: v for k, v in data.items() if v is not None}


def seed_leadsquared(store: Store, *, records: int = 10_000, seed: int = 0) -> None:
    """Fill the LeadSquared namespace afresh with `records` leads (one transaction)."""
    store.clear(NS)
    fake = FakeData(seed)
    emails: set[str] = set()
    rows = [lead(fake, number, emails) for number in range(1, records + 1)]
    for at, person in shared_slots(len(rows)):  # the people every demo vendor holds
        rows[at][1].update(FirstName=person.first, LastName=person.last, mx_City=person.city,
                           EmailAddress=person.email, Company=person.company,
                           Phone=person.phone)  # fmt: skip
    for number, (_, data) in enumerate(rows, start=1):
        if number % 13 == 0:
            data["Company"] = html.escape(UI_COMPANIES[number // 13 % len(UI_COMPANIES)])
            data["mx_Notes"] = html.escape(UI_NOTES[number // 13 % len(UI_NOTES)])
    store.insert_many(NS, LEAD, rows)
    extra = random.Random(f"leadsquared-extras-{seed}")
    store.insert_many(NS, OPPORTUNITY, _opportunities(rows, extra))
    visitors = []
    for _ in range(VISITORS):
        vid = str(uuid.UUID(int=extra.getrandbits(128), version=4))
        visitors.append((vid, {"ProspectID": vid, "CreatedOn": "2024-06-01 10:00:00.000"}))
    store.insert_many(NS, VISITOR, visitors)
    store.mark_seeded(NS, {"records": records, "seed": seed, "next_auto_id": records + 1})


def _opportunities(
    rows: list[tuple[str, dict[str, Any]]], rng: random.Random
) -> list[tuple[str, dict[str, Any]]]:
    """Opportunities on every seventh lead (one or two, of the known types)."""
    out: list[tuple[str, dict[str, Any]]] = []
    codes = sorted(schema.OPPORTUNITY_TYPES)
    for number, (pid, lead_data) in enumerate(rows, start=1):
        if number % 7:
            continue
        for _ in range(1 + number % 2):
            oid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            code = rng.choice(codes)
            name, fields = schema.OPPORTUNITY_TYPES[code]
            stamp = str(lead_data.get("ModifiedOn") or lead_data.get("CreatedOn"))
            record: dict[str, Any] = {
                "OpportunityId": oid,
                "RelatedProspectId": pid,
                "OpportunityEventCode": str(code),
                "OpportunityType": name,
                "OpportunityName": f"{name} for {lead_data.get('FirstName', 'lead')}",
                "Status": rng.choice(("Open", "Open", "Won", "Lost")),
                "OpportunityNote": "",
                "OpportunityDateTime": stamp[:19],
                "CreatedOn": stamp,
                "ModifiedOn": stamp,
            }
            for field, kind in fields.items():
                record[field] = str(rng.randint(1, 9)) if kind == "Number" else "Renewal term"
            out.append((oid, record))
    return out
