"""What a field means (email, first name, phone, company, status…), read from its name and label.

Shared by cross-CRM find (the key fields of a hit) and copy (fields mapped by meaning). Nothing
here names a vendor: each vendor's field names and labels say what they hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crmtui.model import FieldSpec, FieldType

# meaning -> the name/label fragments that carry it (compared without case, spaces or _)
_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("first_name", ("firstname", "givenname")),
    ("last_name", ("lastname", "surname", "familyname")),
    ("mobile", ("mobile", "cellphone")),
    ("phone", ("phonenumber", "phone", "telephone")),
    ("company", ("companyname", "company", "organisation", "organization")),
    ("job_title", ("jobtitle",)),
    ("website", ("website",)),
    ("street", ("street", "address1")),
    ("city", ("city", "town")),
    ("postcode", ("postcode", "zipcode", "zip", "postalcode")),
    ("country", ("country",)),
    ("status", ("leadstatus", "status", "prospectstage", "stage")),
)
_NOT_PHONE = ("fax", "extension", "office", "mobile", "donotcall")
MEANINGS = ("email", *(m for m, _ in _WORDS), "changed")
# Status values with the same meaning in different vendors' words.
STATUS_WORDS: tuple[frozenset[str], ...] = (
    frozenset({"new", "open", "prospect", "lead", "notcontacted"}),
    frozenset({"contacted", "working", "attempted", "inprogress", "contact"}),
    frozenset({"qualified", "opportunity", "contactwithopp"}),
    frozenset({"unqualified", "disqualified", "lost", "junk"}),
    frozenset({"converted", "customer", "won"}),
)


def key(text: str) -> str:
    """`text` lowered with everything but letters and digits dropped."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def meaning(spec: FieldSpec) -> str | None:
    """The meaning of one field, or None when its name and label say nothing we map."""
    names = (key(spec.name), key(spec.label))
    if spec.type is FieldType.EMAIL or any(n in ("email", "emailaddress") for n in names):
        return "email" if "donot" not in names[0] else None
    if spec.type in (FieldType.DATETIME, FieldType.DATE):
        changed = ("modified", "update", "changed")
        return "changed" if any(w in n for n in names for w in changed) else None
    for name, words in _WORDS:
        if name == "phone" and any(w in n for n in names for w in _NOT_PHONE):
            continue
        if any(n == w or n.endswith(w) or (len(w) > 5 and w in n) for n in names for w in words):
            if name == "company" and any(n.startswith("is") for n in names):
                continue
            return name
    if spec.reference is None and names[0] == "title" and spec.type is FieldType.STRING:
        return "job_title"  # a person's "title" is the job title
    return None


def by_meaning(fields: Sequence[FieldSpec]) -> dict[str, FieldSpec]:
    """The first field of each meaning (writable ones preferred)."""
    found: dict[str, FieldSpec] = {}
    for spec in sorted(fields, key=lambda f: f.read_only):
        m = meaning(spec)
        if m is not None and m not in found:
            found[m] = spec
    return found


def status_value(value: str, target: FieldSpec) -> str | None:
    """`value` as one of `target`'s choices (same value, same label, or same meaning)."""
    if not target.choices:
        return value
    wanted = key(value)
    for choice in target.choices:
        if wanted in (key(choice.value), key(choice.label)):
            return choice.value
    group = next((g for g in STATUS_WORDS if wanted in g), None)
    if group is None:
        return None
    for choice in target.choices:
        if key(choice.value) in group or key(choice.label) in group:
            return choice.value
    return None
