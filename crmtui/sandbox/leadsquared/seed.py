"""Seeds the LeadSquared namespace with leads (wire-format strings) from one seeded generator.

The same seed and count give the same leads with the same ProspectIDs; emails are unique (a
number is added on a clash), timestamps fall in 2023-2025 whatever today's date is.
"""

from __future__ import annotations

import uuid
from typing import Any

from crmtui.sandbox.leadsquared import schema
from crmtui.sandbox.seed import FakeData
from crmtui.sandbox.store import Store

NS = "leadsquared"
LEAD = "lead"
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
    store.insert_many(NS, LEAD, rows)
    store.mark_seeded(NS, {"records": records, "seed": seed, "next_auto_id": records + 1})
