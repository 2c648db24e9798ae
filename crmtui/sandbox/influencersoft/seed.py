"""Seeds the InfluencerSoft namespace: the groups (titles stored as the web UI does, encoded)
and leads with tags, groups and a subscription time, from one seeded generator."""

from __future__ import annotations

import html
from typing import Any

from crmtui.sandbox.influencersoft.data import GROUPS, NS, SEED_GROUP_IDS, TAGS
from crmtui.sandbox.seed import FakeData, shared_slots
from crmtui.sandbox.store import Store


def seed_influencersoft(store: Store, *, records: int = 10_000, seed: int = 0) -> None:
    """Groups and `records` leads with tags and lists, drawn from `seed` (one transaction each)."""
    fake = FakeData(seed)
    store.insert_many(
        NS,
        "group",
        ((rid, {"rass_name": rid, "rass_title": html.escape(t)}) for rid, t in GROUPS),
    )
    rows: list[tuple[str, dict[str, Any]]] = []
    used: set[str] = set()
    for number in range(records):
        first, last = fake.person()
        email = fake.email(first, last)
        if email in used:
            email = f"{number}.{email}"
        used.add(email)
        city, postcode, _, prefix = fake.place()
        data: dict[str, Any] = {
            "lead_email": email,
            "lead_first_name": first,
            "lead_last_name": last,
            "lead_phone": fake.phone(prefix),
            "lead_shipping_city": city,
            "lead_shipping_zip": postcode,
            "tags": sorted({fake.pick(TAGS) for _ in range(fake.num(0, 2))}),
            "lists": sorted({fake.pick(SEED_GROUP_IDS) for _ in range(fake.num(0, 2))}),
            "since": f"2024-{1 + number % 12:02}-{1 + number % 28:02} 09:30:00",
        }
        rows.append((email.lower(), data))
    for at, person in shared_slots(len(rows)):  # the people every demo vendor holds
        data = rows[at][1] | {
            "lead_email": person.email,
            "lead_first_name": person.first,
            "lead_last_name": person.last,
            "lists": list(SEED_GROUP_IDS[:2]),
        }
        rows[at] = (person.email.lower(), data)  # fmt: skip
    store.insert_many(NS, "lead", rows)
    store.mark_seeded(NS, {"records": records, "seed": seed})
