"""Seeds the CMDataManager namespace: leads plus proportionate accounts, contacts and the rest.

Values typed in the web UI are stored HTML-encoded (the vendor family's web UIs do this; seed 004
is silent): every thirteenth lead's Company and Notes and every seventh account's Name are such
values, set without drawing from the generator, so the other records stay as they were.

For N leads: ceil(N/20) accounts, ceil(N/10) contacts, ceil(N/40) opportunities, ceil(N/20)
tasks and ceil(N/50) memberships, all drawn from one `random.Random(seed)`, so the same seed and N
give the same records with the same ExternalIDs. Timestamps fall in 2023-2025 whatever the date.
"""

from __future__ import annotations

import html
import math
from datetime import date, timedelta
from typing import Any

from crmtui.sandbox.cmdatamanager import schema
from crmtui.sandbox.seed import JOB_TITLES, FakeData, shared_slots
from crmtui.sandbox.store import Store

NS = "cmdatamanager"
Row = tuple[str, dict[str, Any]]

_NOTES = (
    "Asked for a call back next week.",
    "Met at the spring trade show.",
    "Interested in the annual plan.",
    "Budget approved for Q3.",
    "Prefers email over phone.",
    "Wants a demo for the whole team.",
)
# Values as a user typed them into the web UI; the vendor stores them HTML-encoded.
UI_COMPANIES = ("Procter & Gamble", "Marks & Spencer", 'The "Quoted" Co', "R&D <Labs>")
UI_NOTES = ('Said "call me after 5" & hung up', "Budget < 10k & needs approval")
_INTERESTS = ("Analytics", "Automation", "Events", "Training", "Integrations", "Support plans")
_SUBJECTS = ("Follow-up call", "Send proposal", "Book demo", "Renewal reminder", "Check in")
# Running totals of the lead statuses' weights: New 35, Contacted 25, Qualified 15,
# Unqualified 15, Converted 10 (per 100).
_STATUS_CUMULATIVE = [35.0, 60.0, 75.0, 90.0, 100.0]


class _Seeder:
    """Draws the records of every entity from one generator."""

    def __init__(self, seed: int) -> None:
        self.fake = FakeData(seed)
        self.used: set[str] = set()

    def new_id(self) -> str:
        while True:
            rid = schema.format_id(self.fake.rng.getrandbits(64))
            if rid not in self.used:
                self.used.add(rid)
                return rid

    def stamps(self, data: dict[str, Any]) -> dict[str, Any]:
        created = self.fake.moment()
        data["CreatedDate"] = self.fake.stamp(created)
        data["ModifiedDate"] = self.fake.stamp(self.fake.moment(created))
        return data

    def address(self, data: dict[str, Any]) -> str:
        city, postcode, country, prefix = self.fake.place()
        if self.fake.chance(0.75):
            data.update(Street=self.fake.street(), City=city, Postcode=postcode, Country=country)
        return prefix

    def account(self) -> Row:
        f = self.fake
        company = f.company()
        data: dict[str, Any] = {"Name": company.name, "Website": f"https://www.{company.domain}"}
        prefix = self.address(data)
        data.update(
            Phone=f.phone(prefix),
            Email=f"info@{company.domain}",
            Industry=f.pick(schema.INDUSTRIES),
            Employees=f.num(2, 5000),
            AnnualRevenue=round(f.rng.random() * 20_000_000, 2),
            Owner=f.pick(schema.OWNERS),
            AccountTier=f.pick(schema.TIERS),
        )
        return self.new_id(), self.stamps(data)

    def lead(self, accounts: list[str]) -> Row:
        f = self.fake
        first, last = f.person()
        data: dict[str, Any] = {"FirstName": first, "LastName": last}
        company = f.company() if f.chance(0.85) else None
        on_company = company is not None and f.chance(0.7)
        data["Email"] = f.email(first, last, company.domain if company and on_company else None)
        prefix = self.address(data)
        if f.chance(0.7):
            data["Phone"] = f.phone(prefix)
        if f.chance(0.5):
            data["Mobile"] = f.mobile()
        if company is not None:
            data["Company"] = company.name
            if f.chance(0.4):
                data["Website"] = f"https://www.{company.domain}"
        if f.chance(0.8):
            data["JobTitle"] = f.pick(JOB_TITLES)
        status = f.weighted(schema.LEAD_STATUSES, _STATUS_CUMULATIVE)
        data.update(Status=status, Source=f.pick(schema.LEAD_SOURCES), Owner=f.pick(schema.OWNERS))
        if status == "Converted" and accounts:
            data["ConvertedAccount"] = f.pick(accounts)
        if f.chance(0.2):
            data["Notes"] = f.pick(_NOTES)
        data["Score"] = f.num(0, 100)
        if f.chance(0.6):
            data["Revenue"] = round(f.rng.random() * 500_000, 2)
        data["DoNotEmail"] = "True" if f.chance(0.08) else "False"
        self.stamps(data)
        if f.chance(0.6):
            data["LastContacted"] = f.stamp(f.moment())
        if f.chance(0.7):
            data["Segment"] = f.pick(schema.SEGMENTS)
        data["NewsletterOptIn"] = "True" if f.chance(0.4) else "False"
        if f.chance(0.5):
            data["EventsAttended"] = f.num(0, 12)
        if f.chance(0.3):
            data["Interests"] = f.pick(_INTERESTS)
        return self.new_id(), data

    def contact(self, accounts: list[str]) -> Row:
        f = self.fake
        first, last = f.person()
        data: dict[str, Any] = {"FirstName": first, "LastName": last}
        data["Email"] = f.email(first, last)
        prefix = self.address(data)
        data.update(Phone=f.phone(prefix), JobTitle=f.pick(JOB_TITLES), Owner=f.pick(schema.OWNERS))
        if accounts and f.chance(0.9):
            data["Account"] = f.pick(accounts)
        if f.chance(0.5):
            data["Mobile"] = f.mobile()
        data["DoNotEmail"] = "True" if f.chance(0.05) else "False"
        if f.chance(0.4):
            data["BirthDate"] = f.day(date(1955, 1, 1), 45 * 365).isoformat()
        data["PreferredChannel"] = f.pick(schema.CHANNELS)
        return self.new_id(), self.stamps(data)

    def opportunity(self, accounts: list[str]) -> Row:
        f = self.fake
        account = f.pick(accounts) if accounts else None
        data: dict[str, Any] = {
            "Name": f"{f.pick(_INTERESTS)} deal {f.num(100, 999)}",
            "Stage": f.pick(schema.STAGES),
            "Amount": round(f.rng.random() * 150_000, 2),
            "Probability": 10 * f.num(0, 10),
            "CloseDate": f.day(date(2024, 1, 1), 720).isoformat(),
            "Owner": f.pick(schema.OWNERS),
        }
        if account is not None:
            data.update(Account=account, RelatedEntity="account", RelatedExternalID=account)
        return self.new_id(), self.stamps(data)

    def task(self, parents: list[tuple[str, str]]) -> Row:
        f = self.fake
        data: dict[str, Any] = {
            "Subject": f.pick(_SUBJECTS),
            "DueDate": f.day(date(2024, 1, 1), 900).isoformat(),
            "Priority": f.pick(schema.PRIORITIES),
            "Status": f.pick(schema.TASK_STATUSES),
            "Owner": f.pick(schema.OWNERS),
        }
        if parents:
            entity, rid = parents[int(f.rng.random() * len(parents))]
            data.update(RelatedEntity=entity, RelatedExternalID=rid)
        self.stamps(data)
        if data["Status"] == "Completed":
            data["ClosedDate"] = data["ModifiedDate"]
        return self.new_id(), data

    def membership(self, contacts: list[str]) -> Row:
        f = self.fake
        start = f.day(date(2022, 1, 1), 1000)
        data: dict[str, Any] = {
            "MembershipNumber": f.code(),
            "Level": f.pick(schema.TIERS),
            "StartDate": start.isoformat(),
            "EndDate": (start + timedelta(days=365)).isoformat(),
            "Fee": float(f.pick(("49", "99", "199", "499"))),
            "AutoRenew": "True" if f.chance(0.6) else "False",
        }
        if contacts:
            data["Contact"] = f.pick(contacts)
        return self.new_id(), self.stamps(data)


def seed_cmdatamanager(store: Store, *, records: int = 10_000, seed: int = 0) -> None:
    """Fill the CMDataManager namespace afresh: `records` leads and the related entities."""
    store.clear(NS)
    s = _Seeder(seed)
    share = {k: math.ceil(records / d) for k, d in (("account", 20), ("contact", 10))}
    accounts = [s.account() for _ in range(share["account"])]
    account_ids = [rid for rid, _ in accounts]
    leads = [s.lead(account_ids) for _ in range(records)]
    for at, person in shared_slots(len(leads)):  # the people every demo vendor holds
        leads[at][1].update(
            FirstName=person.first, LastName=person.last, Email=person.email,
            Company=person.company, Phone=person.phone, City=person.city,
        )  # fmt: skip
    contacts = [s.contact(account_ids) for _ in range(share["contact"])]
    opportunities = [s.opportunity(account_ids) for _ in range(math.ceil(records / 40))]
    parents = [("lead", rid) for rid, _ in leads[:500]] + [("account", a) for a in account_ids]
    tasks = [s.task(parents) for _ in range(math.ceil(records / 20))]
    contact_ids = [rid for rid, _ in contacts]
    members = [s.membership(contact_ids) for _ in range(math.ceil(records / 50))]
    for number, (_, data) in enumerate(leads, start=1):
        if number % 13 == 0:
            data["Company"] = html.escape(UI_COMPANIES[number // 13 % len(UI_COMPANIES)])
            data["Notes"] = html.escape(UI_NOTES[number // 13 % len(UI_NOTES)])
    for number, (_, data) in enumerate(accounts, start=1):
        if number % 7 == 0:
            data["Name"] = html.escape(UI_COMPANIES[number // 7 % len(UI_COMPANIES)])
    for entity, rows in (
        ("account", accounts),
        ("lead", leads),
        ("contact", contacts),
        ("opportunity", opportunities),
        ("task", tasks),
        ("membership", members),
    ):
        store.insert_many(NS, entity, rows)
    store.mark_seeded(NS, {"records": records, "seed": seed})
