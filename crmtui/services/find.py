"""Find a person everywhere: every profile searched at once, each through its own session.

Each profile answers at its own pace with its own search (`services.search`: the server where the
vendor filters, the local copy when it is complete, else a scan). An entity that cannot be
listed but can be read by email (a send-only vendor's group status) is asked by email. A
profile that fails says why in its answer; the others still answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from crmtui.errors import CrmError, NotFound
from crmtui.model import Capability, EntitySpec, FieldSpec, Record, format_value
from crmtui.model.filter import EMAIL, email_field, matches, parse
from crmtui.model.sanitize import inert
from crmtui.services.meanings import by_meaning
from crmtui.services.search import iter_matches
from crmtui.services.session import Session

KEY_MEANINGS = ("email", "company", "phone", "status")


@dataclass(frozen=True)
class Hit:
    """One record that matched, with what a person needs to recognise it."""

    profile: str
    vendor: str
    entity: str
    entity_label: str
    record: Record  # as the search read it: perhaps only the fields shown (`shown_fields`)
    title: str
    fields: dict[str, str]  # key fields: label -> value as text
    changed: str  # when it last changed, or ""


@dataclass
class Answer:
    """What one profile answered: its hits, or why it could not."""

    profile: str
    vendor: str
    hits: list[Hit] = field(default_factory=list)
    error: str = ""
    how: list[str] = field(default_factory=list)  # per entity: how it was searched
    seconds: float = 0.0
    requests: int = 0


def _people(entities: Sequence[EntitySpec], fields: dict[str, list[FieldSpec]]) -> list[str]:
    """Entities that hold people: those with an email field."""
    return [e.name for e in entities if email_field(fields[e.name]) is not None]


def shown_fields(spec: EntitySpec, specs: list[FieldSpec]) -> tuple[str, ...]:
    """What a hit shows (its title, key fields, when it changed): all a scan needs to read back
    where the vendor can select fields; the fields searched are added by the search itself."""
    meanings = by_meaning(specs)
    wanted = [*spec.title_fields, *(meanings[m].name for m in (*KEY_MEANINGS, "changed")
                                    if m in meanings)]  # fmt: skip
    names = {f.name for f in specs}
    return tuple(dict.fromkeys(n for n in wanted if n in names))


def _hit(session: Session, spec: EntitySpec, specs: list[FieldSpec], record: Record) -> Hit:
    meanings = by_meaning(specs)
    shown: dict[str, str] = {}
    for m in KEY_MEANINGS:
        f = meanings.get(m)
        value = format_value(record.values.get(f.name), f) if f else ""
        if f and value:
            shown[f.label] = inert(value)
    if len(shown) < 2:  # little mapped: the record's own values
        for name, value in list(record.values.items())[:4]:
            label = next((f.label for f in specs if f.name == name), name)
            shown.setdefault(label, inert(format_value(value)))
    changed = meanings.get("changed")
    when = format_value(record.values.get(changed.name), changed) if changed else ""
    return Hit(
        session.profile.name,
        session.backend.label,
        spec.name,
        spec.label,
        record,
        inert(record.title(spec)),
        shown,
        when,
    )


async def find_in(session: Session, text: str, *, limit: int = 5) -> Answer:
    """Search one profile for `text` (an email, a name, an id)."""
    from crmtui.services.mirror_sync import mirror_for

    backend = session.backend
    answer = Answer(session.profile.name, backend.label)
    start, sent = time.monotonic(), [0]
    stop = session.log.subscribe(lambda _entry: sent.__setitem__(0, sent[0] + 1))
    try:
        entities = await backend.entities()
        loaded = await asyncio.gather(*(backend.fields(e.name) for e in entities))
        fields = {e.name: specs for e, specs in zip(entities, loaded, strict=True)}
        mirror = mirror_for(session)
        is_email = EMAIL.fullmatch(text.strip()) is not None
        for name in _people(entities, fields):
            spec = next(e for e in entities if e.name == name)
            if spec.can(Capability.LIST):
                expr = parse(text, fields[name], spec)
                ready = mirror is not None and mirror.ready(name)
                answer.how.append(f"{spec.label}: {'local copy' if ready else 'search'}")
                # Several words: the server's quick search looks for one (the longest) and the
                # record must hold them all ("Ada Lovelace" is in no single field).
                asked, wanted = expr, limit
                if len(expr.words) > 1 and not expr.conditions and expr.record_id is None:
                    longest = max(expr.words, key=len)
                    asked, wanted = replace(expr, words=(longest,)), limit * 20
                specs = {f.name: f for f in fields[name]}
                shown = (
                    shown_fields(spec, fields[name]) if spec.can(Capability.FIELD_SELECT) else None
                )
                async for page in iter_matches(
                    backend, name, asked, fields=shown, limit=wanted, mirror=mirror, concurrency=2
                ):
                    kept = [r for r in page if matches(expr, r, specs)]
                    answer.hits += [_hit(session, spec, fields[name], r) for r in kept]
                    if len(answer.hits) >= limit:
                        break
            elif spec.can(Capability.GET) and is_email:
                answer.how.append(f"{spec.label}: read by email")
                try:
                    record = await backend.get(name, text.strip())
                except NotFound:
                    continue
                answer.hits.append(_hit(session, spec, fields[name], record))
            else:
                answer.how.append(f"{spec.label}: searchable by email only")
    except CrmError as exc:
        answer.error = inert(session.redactor.text(str(exc)))
    finally:
        stop()
    answer.seconds = time.monotonic() - start
    answer.requests = sent[0]
    return answer


async def find_everywhere(
    sessions: Sequence[Session], text: str, *, limit: int = 5, timeout: float | None = None
) -> list[Answer]:
    """Every session searched at once; answers in the sessions' order."""

    async def one(session: Session) -> Answer:
        try:
            return await asyncio.wait_for(find_in(session, text, limit=limit), timeout)
        except TimeoutError:
            return Answer(session.profile.name, session.backend.label, error="timed out")

    return list(await asyncio.gather(*(one(s) for s in sessions)))
