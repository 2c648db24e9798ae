"""Deterministic, realistic fake data (people, companies, addresses, dates) from a seed."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache


def _words(text: str) -> tuple[str, ...]:
    """The space-separated words of `text`."""
    return tuple(text.split())


FIRST_NAMES = _words(
    "Ada Alan Alice Amara Amelia Ana Arjun Aylin Ben Bianca Carlos Chen Chloe Daniel Dara "
    "David Elena Elif Emma Ethan Fatima Felix Freya Gabriel Grace Hana Harry Hugo Ines Isaac "
    "Isla Jack Jamal Jana Jonas Julia Kai Karim Kate Lars Laura Leo Lily Lucas Maya Mia Mohammed "
    "Nadia Noah Nora Oliver Olivia Omar Oscar Priya Rafael Rosa Ruby Sam Sara Sofia Tariq Theo "
    "Tom Uma Victor Wei Yara Yusuf Zara Zoe Bronwen Ciaran Siobhan Aoife Rhys Niamh Declan Ewan"
)

LAST_NAMES = _words(
    "Adams Ahmed Ali Anderson Bailey Baker Bell Bennett Brown Campbell Carter Chen Clarke Cole "
    "Collins Cook Cooper Davies Davis Edwards Evans Fischer Fraser Garcia Gray Green Hall Harris "
    "Hughes Hussain Jackson James Johnson Jones Kaur Kelly Khan King Kowalski Lee Lewis Lopez "
    "Martin Mitchell Moore Morgan Morris Murphy Nguyen Novak O'Brien Owen Parker Patel Phillips "
    "Price Reid Roberts Robinson Rossi Scott Shah Singh Smith Stewart Taylor Thomas Thompson "
    "Turner Walker Ward Watson White Williams Wilson Wood Wright Young Zhang Müller Dubois"
)

COMPANY_STEMS = _words(
    "Acorn Apex Beacon Birch Blue Bright Cedar Clear Copper Crest Delta Ember Falcon Forge "
    "Granite Harbour Horizon Iron Juniper Keystone Lark Lumen Maple Meridian Nimbus North Oak "
    "Orbit Pine Pioneer Quarry Red Ridge River Sage Silver Summit Swift Thistle Tidal Vale "
    "Willow Zenith"
)

COMPANY_KINDS = _words(
    "Analytics Consulting Dynamics Engineering Foods Health Holdings Interiors Labs Logistics "
    "Media Partners Systems Software Solutions Studios Supplies Technologies Ventures Works"
)

COMPANY_SUFFIXES = ("Ltd", "Ltd", "plc", "LLP", "Group", "& Co", "Inc", "")

JOB_TITLES = (
    "Account Manager",
    "Chief Executive Officer",
    "Chief Financial Officer",
    "Head of Marketing",
    "Marketing Manager",
    "Operations Director",
    "Office Manager",
    "Procurement Lead",
    "Sales Director",
    "Software Engineer",
    "IT Manager",
    "HR Business Partner",
    "Finance Manager",
    "Founder",
    "Product Manager",
    "Customer Success Lead",
)

# (city, postcode prefix, country, phone prefix)
PLACES = (
    ("London", "EC1", "United Kingdom", "+44 20"),
    ("Manchester", "M1", "United Kingdom", "+44 161"),
    ("Bristol", "BS1", "United Kingdom", "+44 117"),
    ("Leeds", "LS1", "United Kingdom", "+44 113"),
    ("Edinburgh", "EH1", "United Kingdom", "+44 131"),
    ("Glasgow", "G1", "United Kingdom", "+44 141"),
    ("Cardiff", "CF10", "United Kingdom", "+44 29"),
    ("Belfast", "BT1", "United Kingdom", "+44 28"),
    ("Dublin", "D02", "Ireland", "+353 1"),
    ("Paris", "75001", "France", "+33 1"),
    ("Berlin", "10115", "Germany", "+49 30"),
    ("Amsterdam", "1011", "Netherlands", "+31 20"),
    ("New York", "10001", "United States", "+1 212"),
)

STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Lane",
    "Park Avenue",
    "Victoria Road",
    "Green Lane",
    "Manor Road",
    "King Street",
    "Queen Street",
    "Market Place",
    "Bridge Street",
    "Castle Street",
    "London Road",
)

_INWARD = ("AB", "DE", "HJ", "NP", "RT", "WX")

MAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "proton.me")

# Seeded timestamps fall in this window whatever today's date is, so a seed is reproducible.
EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 3 * 365 * 24 * 3600


_TWO_DIGITS = [f"{n:02}" for n in range(60)]
_HOURS_MINUTES = [f"{h:02}:{m:02}" for h in range(24) for m in range(60)]
_DAYS = [(EPOCH + timedelta(days=d)).date().isoformat() for d in range(SPAN_SECONDS // 86400 + 1)]


@cache
def _mailbox(text: str) -> str:
    """`text` lowered, keeping ASCII letters, digits and dots (for an email's local part)."""
    return "".join(c for c in text.lower() if c.isascii() and (c.isalnum() or c == "."))


@dataclass(frozen=True)
class Company:
    """A made-up company with its web domain."""

    name: str
    domain: str


class FakeData:
    """Realistic values drawn from a `random.Random(seed)`: the same seed gives the same data."""

    def __init__(self, seed: int) -> None:
        """Start a generator whose draws are fixed by `seed`."""
        self.rng = random.Random(seed)
        self.random = self.rng.random

    def num(self, low: int, high: int) -> int:
        """A whole number from `low` to `high` inclusive."""
        return low + int(self.random() * (high - low + 1))

    def pick(self, items: tuple[str, ...] | list[str]) -> str:
        """One item, uniformly."""
        return items[int(self.random() * len(items))]

    def chance(self, p: float) -> bool:
        """True with probability `p`."""
        return self.random() < p

    def weighted(self, items: tuple[str, ...], cumulative: list[float]) -> str:
        """One item, with `cumulative` the running totals of the items' weights."""
        return items[bisect.bisect(cumulative, self.random() * cumulative[-1])]

    def person(self) -> tuple[str, str]:
        """A (first name, last name) pair."""
        return self.pick(FIRST_NAMES), self.pick(LAST_NAMES)

    def company(self) -> Company:
        """A company name and a matching domain."""
        stem, kind = self.pick(COMPANY_STEMS), self.pick(COMPANY_KINDS)
        suffix = self.pick(COMPANY_SUFFIXES)
        name = f"{stem} {kind} {suffix}".strip()
        return Company(name, f"{stem}{kind}".lower() + self.pick((".co.uk", ".com", ".io")))

    def email(self, first: str, last: str, domain: str | None = None) -> str:
        """A plausible address for the person, at `domain` or at a webmail provider."""
        local = f"{first}.{last}" if self.chance(0.7) else f"{first[0]}{last}"
        local = _mailbox(local)
        if domain is None:
            return f"{local}{self.num(1, 99)}@{self.pick(MAIL_DOMAINS)}"
        return f"{local}@{domain}"

    def place(self) -> tuple[str, str, str, str]:
        """(city, postcode, country, phone prefix)."""
        city, prefix, country, phone = PLACES[int(self.rng.random() * len(PLACES))]
        if country in ("United Kingdom", "Ireland"):
            postcode = f"{prefix} {self.num(1, 9)}{self.pick(_INWARD)}"
        else:
            postcode = prefix
        return city, postcode, country, phone

    def street(self) -> str:
        """A house number and a street."""
        return f"{self.num(1, 220)} {self.pick(STREETS)}"

    def phone(self, prefix: str) -> str:
        """A phone number with the place's prefix."""
        return f"{prefix} {self.num(1000, 9999)} {self.num(1000, 9999)}"

    def mobile(self) -> str:
        """A UK-style mobile number."""
        return f"+44 7{self.num(100, 999)} {self.num(100000, 999999)}"

    def moment(self, after: int = 0) -> int:
        """Seconds since EPOCH: a moment between `after` and the end of the seed window."""
        return after + int(self.rng.random() * max(SPAN_SECONDS - after, 1))

    @staticmethod
    def stamp(seconds: int) -> str:
        """A moment (seconds since EPOCH) as "YYYY-MM-DD HH:MM:SS"."""
        days, rest = divmod(seconds, 86400)
        minutes, secs = divmod(rest, 60)
        return f"{_DAYS[days]} {_HOURS_MINUTES[minutes]}:{_TWO_DIGITS[secs]}"

    def day(self, start: date, days: int) -> date:
        """A date within `days` days of `start`."""
        return start + timedelta(days=int(self.rng.random() * days))

    def code(self, letters: str = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits: int = 6) -> str:
        """A short reference such as "KX482913"."""
        head = self.pick(tuple(letters)) + self.pick(tuple(letters))
        return head + str(self.num(10 ** (digits - 1), 10**digits - 1))


@dataclass(frozen=True)
class SharedPerson:
    """A person every demo vendor holds (same email and name), for cross-CRM find and copy."""

    first: str
    last: str
    email: str
    company: str
    phone: str
    city: str


# Seeded into each emulator (a minimal edit per seed module) on the last leads, so `crmtui find`
# and `crmtui copy` have people to show out of the box. Names are absent from the word lists
# above, so searching for them finds only these.
CROSS_VENDOR_PEOPLE = (
    SharedPerson(
        "Marisol", "Quennell", "marisol.quennell@crossover-demo.test",
        "Quennell Orchards Ltd", "+44 20 5550 0101", "London",
    ),
    SharedPerson(
        "Tobiah", "Wrexford", "tobiah.wrexford@crossover-demo.test",
        "Wrexford Ironworks plc", "+44 161 5550 0102", "Manchester",
    ),
    SharedPerson(
        "Ottilie", "Brackwater", "ottilie.brackwater@crossover-demo.test",
        "Brackwater Media LLP", "+44 117 5550 0103", "Bristol",
    ),
)  # fmt: skip


def shared_slots(count: int) -> list[tuple[int, SharedPerson]]:
    """(index among `count` seeded leads, person): the last leads become the shared people."""
    people = CROSS_VENDOR_PEOPLE[:count]
    return [(count - len(people) + i, p) for i, p in enumerate(people)]
