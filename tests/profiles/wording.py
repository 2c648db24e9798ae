"""Profile-file texts with one problem each, and how `validate_config` words them (the shared
part of test_problem_wording.py and test_secret_wording.py)."""

from __future__ import annotations

from pathlib import Path

from crmtui.profiles.loader import validate_config

HEAD_CRM = (
    '[profiles.crm]\nvendor = "cmdatamanager"\nbase_url = "https://crm.example.test"\n'
    'client_id = "id"\nclient_secret = { env = "S" }\nusername = "u"\npassword = { env = "P" }\n'
)
HEAD_SS = (
    '[profiles.ss]\nvendor = "sharpspring"\nbase_url = "https://ss.example.test"\n'
    'account_id = "a"\nsecret_key = { env = "K" }\n'
)
HEAD_LSQ = (
    '[profiles.l]\nvendor = "leadsquared"\nbase_url = "https://l.example.test"\n'
    'access_key = "a"\nsecret_key = "s"\n'
)
HEAD_IS = (
    '[profiles.i]\nvendor = "influencersoft"\nbase_url = "https://i.example.test"\n'
    'login = "lg"\nrps_key = "r"\n'
)
WORDS = {
    "<shape>": 'expected a string or one of { env = "NAME" }, { command = "..." }, '
    '{ keyring = "service/user" }',
    "<vendors>": "cmdatamanager, influencersoft, leadsquared, sharpspring",
    "<https>": "must use https (plain http is only allowed for 127.0.0.1, localhost and [::1])",
}


def ss(line: str) -> str:
    """A SharpSpring profile with `line` added."""
    return HEAD_SS + line + "\n"


def lsq(line: str) -> str:
    """A LeadSquared profile with `line` added."""
    return HEAD_LSQ + line + "\n"


def crm(line: str) -> str:
    """A CMDataManager profile with `line` added."""
    return HEAD_CRM + line + "\n"


def is_(line: str) -> str:
    """An InfluencerSoft profile with `line` added."""
    return HEAD_IS + line + "\n"


def secret(value: str) -> str:
    """The SharpSpring profile with `value` as its secret_key."""
    return HEAD_SS.replace('{ env = "K" }', value)


def url(value: str) -> str:
    """The SharpSpring profile with `value` as its base_url."""
    return HEAD_SS.replace("https://ss.example.test", value)


Expected = list[tuple[int | None, str | None, str | None, str]]


def problems(path: Path) -> Expected:
    """(line, profile, key, message) of each problem `validate_config` finds in the file."""
    return [(p.line, p.profile, p.key, p.message) for p in validate_config(path)]


def worded(expected: Expected) -> Expected:
    """`expected` with the long phrases (<shape>, <vendors>, <https>) written out."""
    out = []
    for line, profile, key, message in expected:
        for mark, words in WORDS.items():
            message = message.replace(mark, words)
        out.append((line, profile, key, message))
    return out
