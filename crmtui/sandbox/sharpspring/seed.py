"""Seeds the SharpSpring namespace: leads plus user profiles, deal stages, campaigns and the rest.

For N leads: 8 user profiles, 6 deal stages, 12 campaigns, ceil(N/20) accounts, ceil(N/40)
opportunities, 5 active lists with ceil(N/50) members, ceil(N/4) lead events (email opens,
page visits, form fills...), and the custom lead fields of `schema`.
Ids are sequential numbers per object (leads from 321000001), drawn in one `random.Random(seed)`,
so the same seed and N give the same data. About 5% of leads are inactive (kept in the store
entity "inactiveLead"). Every 40th lead (and 10th account) holds values as the web UI stores
them, HTML-encoded (`Procter &amp; Gamble`; see `_typed_in_web_ui`). Keys starting with "_"
are the emulator's own (a lowered email for case-insensitive lookups) and are never sent.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from crmtui.sandbox.seed import JOB_TITLES, FakeData, shared_slots
from crmtui.sandbox.sharpspring import activity, schema
from crmtui.sandbox.store import Store

NS = schema.NS
Row = tuple[str, dict[str, Any]]
FIRST_ID = {
    "lead": 321000001,
    "account": 41000001,
    "campaign": 7100001,
    "opportunity": 8800001,
    "userProfile": 310001,
    "dealStage": 501,
    "activeList": 60001,
    "listMember": 9900001,
    "event": 6200000001,
}
_INDUSTRIES = ("Software", "Retail", "Healthcare", "Manufacturing", "Education", "Finance")
_COLORS = ("Blue", "Green", "Red", "Teal", "Orange", "")
_STATUS_CUMULATIVE = [30.0, 65.0, 80.0, 93.0, 100.0]
_CAMPAIGN_TYPES = ("Email", "Webinar", "Trade show", "Paid search", "Referral")


class _Seeder:
    """Draws every object from one generator."""

    def __init__(self, seed: int) -> None:
        self.fake = FakeData(seed)

    def stamps(self, data: dict[str, Any]) -> dict[str, Any]:
        created = self.fake.moment()
        data["createTimestamp"] = self.fake.stamp(created)
        data["updateTimestamp"] = self.fake.stamp(self.fake.moment(created))
        return data

    def owner(self, owners: list[str]) -> str:
        return self.fake.pick(owners)

    def lead(self, rid: str, owners: list[str], accounts: list[str], campaigns: list[str]) -> Row:
        f = self.fake
        first, last = f.person()
        company = f.company() if f.chance(0.85) else None
        email = f.email(first, last, company.domain if company and f.chance(0.7) else None)
        city, postcode, country, prefix = f.place()
        status = f.weighted(schema.LEAD_STATUSES, _STATUS_CUMULATIVE)
        color = f.pick(_COLORS)
        data: dict[str, Any] = {
            "id": rid,
            "accountID": f.pick(accounts) if accounts and f.chance(0.5) else None,
            "ownerID": self.owner(owners),
            "campaignID": f.pick(campaigns) if f.chance(0.6) else None,
            "companyName": company.name if company else None,
            "title": f.pick(JOB_TITLES) if f.chance(0.8) else None,
            "firstName": first,
            "lastName": last,
            "street": f.street() if f.chance(0.7) else None,
            "city": city,
            "country": country,
            "state": None,
            "zipcode": postcode,
            "emailAddress": email,
            "website": f"https://www.{company.domain}" if company and f.chance(0.4) else None,
            "phoneNumber": f.phone(prefix) if f.chance(0.7) else None,
            "officePhoneNumber": None,
            "phoneNumberExtension": None,
            "mobilePhoneNumber": f.mobile() if f.chance(0.5) else None,
            "faxNumber": None,
            "description": None,
            "industry": f.pick(_INDUSTRIES) if f.chance(0.6) else None,
            "leadScore": str(f.num(0, 100)),
            "leadScoreWeighted": str(f.num(0, 100)),
            "persona": None,
            "trackingID": None,
            "active": "0" if f.chance(0.05) else "1",
            "isUnsubscribed": "1" if f.chance(0.08) else "0",
            "isQualified": "1" if status in ("qualified", "contact", "contactWithOpp") else "0",
            "isContact": "1" if status in ("contact", "contactWithOpp") else "0",
            "isCustomer": "1" if f.chance(0.1) else "0",
            "leadStatus": status,
            "Favorite_Color_5a0dd86e6e290": color,
            "Annual_Budget_61f2a9c3b7d40": str(f.num(1, 500) * 1000) if f.chance(0.5) else "",
            "Webinar_Attended_5f3e2d1c0b9a8": "1" if f.chance(0.3) else "0",
            "Next_Follow_Up_6b7c8d9e0f1a2": "",
            "_email": email.lower(),
        }
        return rid, self.stamps(data)

    def account(self, rid: str, owners: list[str]) -> Row:
        f = self.fake
        company = f.company()
        city, postcode, country, prefix = f.place()
        data: dict[str, Any] = {
            "id": rid,
            "accountName": company.name,
            "ownerID": self.owner(owners),
            "industry": f.pick(_INDUSTRIES),
            "phone": f.phone(prefix),
            "annualRevenue": str(f.num(1, 2000) * 10000),
            "numberOfEmployees": str(f.num(2, 5000)),
            "website": f"https://www.{company.domain}",
            "fax": None,
            "yearStarted": str(f.num(1950, 2022)),
            "billingCity": city,
            "billingCountry": country,
            "billingPostalCode": postcode,
            "billingState": None,
            "billingStreetAddress": f.street(),
            "shippingCity": None,
            "shippingCountry": None,
            "shippingPostalCode": None,
            "shippingState": None,
            "shippingStreetAddress": None,
        }
        return rid, self.stamps(data)

    def campaign(self, rid: str, number: int) -> Row:
        f = self.fake
        start = f.day(date(2023, 1, 1), 900)
        kind = f.pick(_CAMPAIGN_TYPES)
        data: dict[str, Any] = {
            "id": rid,
            "campaignName": f"{kind} {start.year} #{number}",
            "campaignType": kind,
            "campaignAlias": None,
            "campaignOrigin": f.pick(("Expo", "Website", "Partner", "Newsletter")),
            "qty": str(f.num(1, 500)),
            "price": str(f.num(100, 20000)),
            "goal": str(f.num(1000, 200000)),
            "otherCosts": "0",
            "startDate": start.isoformat(),
            "endDate": (start + timedelta(days=f.num(7, 90))).isoformat(),
            "isActive": "1" if f.chance(0.7) else "0",
        }
        return rid, self.stamps(data)

    def opportunity(
        self, rid: str, owners: list[str], stages: list[str], accounts: list[str], leads: list[str]
    ) -> Row:
        f = self.fake
        stage = f.pick(stages)
        closed = stage in stages[-2:]
        lead = f.pick(leads) if leads else None
        data: dict[str, Any] = {
            "id": rid,
            "opportunityName": f"{f.company().name} deal",
            "ownerID": self.owner(owners),
            "dealStageID": stage,
            "closeDate": f.day(date(2024, 1, 1), 720).isoformat(),
            "isClosed": "1" if closed else "0",
            "isWon": "1" if stage == stages[-2] else "0",
            "isActive": "1",
            "accountID": f.pick(accounts) if accounts else None,
            "campaignID": None,
            "probability": str(10 * f.num(0, 10)),
            "amount": str(f.num(1, 1500) * 100),
            "originatingLeadID": lead,
            "primaryLeadID": lead,
        }
        return rid, self.stamps(data)


# Standard fields typed in the web UI are stored HTML-encoded, `<` twice; custom fields typed
# there only have `<` encoded (rmuit `encoding.md`). As the web UI would have stored them:
UI_COMPANIES = (
    "Procter &amp; Gamble",
    "Ben &amp; Jerry&#039;s",
    "Marks &amp; Spencer &amp;lt;UK&gt;",
    "&quot;Quoted&quot; Holdings",
)
UI_COLOR = "Blue &lt;3"
UI_EVERY = 40  # every 40th lead from the 40th (321000040, ...): off the first screen


def _typed_in_web_ui(leads: list[Row], accounts: list[Row]) -> None:
    """Give some leads and accounts values as the web UI stores them (no random draws)."""
    for n, index in enumerate(range(UI_EVERY - 1, len(leads), UI_EVERY)):
        data = leads[index][1]
        data["companyName"] = UI_COMPANIES[n % len(UI_COMPANIES)]
        data["Favorite_Color_5a0dd86e6e290"] = UI_COLOR
    for n, index in enumerate(range(9, len(accounts), 10)):
        accounts[index][1]["accountName"] = UI_COMPANIES[n % len(UI_COMPANIES)]


def _events(s: _Seeder, lead_ids: list[str], count: int) -> list[Row]:
    """Email opens and clicks, page visits and form fills of random leads (drawn last)."""
    f = s.fake
    kinds = tuple(activity.KINDS)
    rows: list[Row] = []
    for rid in _ids("event", count):
        lead = lead_ids[int(f.random() * len(lead_ids))]
        kind = f.pick(kinds)
        stamp = f.stamp(f.moment())
        rows.append((rid, activity.event_row(rid, lead, kind, stamp, f.num(0, 99))))
    return rows


def _ids(entity: str, count: int) -> list[str]:
    return [str(FIRST_ID[entity] + i) for i in range(count)]


def seed_sharpspring(store: Store, *, records: int = 10_000, seed: int = 0) -> None:
    """Fill the SharpSpring namespace afresh with `records` leads and the related objects."""
    store.clear(NS)
    s = _Seeder(seed)
    f = s.fake
    owners = _ids("userProfile", 8)
    profiles: list[Row] = []
    for rid in owners:
        first, last = f.person()
        data = {
            "id": rid,
            "firstName": first,
            "lastName": last,
            "displayName": f"{first} {last}",
            "emailAddress": f"{first}.{last}@example-company.test".lower(),
            "isActive": "1",
            "isReseller": "0",
            "userTimezone": None,
            "phone": None,
            "userProfileType": "Sales Manager" if rid == owners[0] else "Salesperson",
        }
        profiles.append((rid, data))
    stage_ids = _ids("dealStage", len(schema.DEAL_STAGES))
    stages = [
        (rid, {"id": rid, "dealStageName": name, "description": None,
               "defaultProbability": str(p), "weight": str(i), "isEditable": "1",
               "createTimestamp": "2023-01-02 09:00:00", "updateTimestamp": "2023-01-02 09:00:00"})
        for i, (rid, (name, p)) in enumerate(zip(stage_ids, schema.DEAL_STAGES, strict=True))
    ]  # fmt: skip
    campaigns = [s.campaign(rid, n) for n, rid in enumerate(_ids("campaign", 12), start=1)]
    campaign_ids = [rid for rid, _ in campaigns]
    accounts = [s.account(rid, owners) for rid in _ids("account", math.ceil(records / 20))]
    account_ids = [rid for rid, _ in accounts]
    lead_ids = _ids("lead", records)
    leads = [s.lead(rid, owners, account_ids, campaign_ids) for rid in lead_ids]
    _typed_in_web_ui(leads, accounts)
    for at, person in shared_slots(len(leads)):  # the people every demo vendor holds
        leads[at][1].update(firstName=person.first, lastName=person.last, city=person.city,
                            emailAddress=person.email, _email=person.email.lower(),
                            companyName=person.company, phoneNumber=person.phone)  # fmt: skip
    opportunities = [
        s.opportunity(rid, owners, stage_ids, account_ids, lead_ids[:1000])
        for rid in _ids("opportunity", math.ceil(records / 40))
    ]
    list_ids = _ids("activeList", 5)
    member_ids = _ids("listMember", math.ceil(records / 50))
    members: list[Row] = []
    for rid in member_ids:
        lead_rid, lead = leads[int(f.random() * len(leads))] if leads else ("", {})
        members.append(
            (rid, {"id": rid, "listID": f.pick(list_ids), "leadID": lead_rid,
                   "emailAddress": lead.get("emailAddress")})
        )  # fmt: skip
    counts = {lid: sum(1 for _, m in members if m["listID"] == lid) for lid in list_ids}
    names = ("Newsletter", "Webinar invitees", "Trade show 2024", "Hot prospects", "Customers")
    lists = [
        (lid, {"id": lid, "name": name, "description": None, "memberCount": str(counts[lid]),
               "removedCount": "0", "createTimestamp": "2023-03-01 09:00:00"})
        for lid, name in zip(list_ids, names, strict=True)
    ]  # fmt: skip
    events = _events(s, lead_ids, math.ceil(records / 4))
    fields = [
        *schema.standard_rows("lead", 1),
        *schema.standard_rows("account", 101),
        *schema.standard_rows("campaign", 201),
        *schema.standard_rows("opportunity", 301),
        *schema.custom_rows(),
    ]
    for entity, rows in (
        ("userProfile", profiles),
        ("dealStage", stages),
        ("campaign", campaigns),
        ("account", accounts),
        ("lead", [row for row in leads if row[1]["active"] == "1"]),
        ("inactiveLead", [row for row in leads if row[1]["active"] == "0"]),
        ("opportunity", opportunities),
        ("activeList", lists),
        ("listMember", members),
        ("field", fields),
        ("event", events),
    ):
        store.insert_many(NS, entity, rows)
    store.mark_seeded(NS, {"records": records, "seed": seed})
