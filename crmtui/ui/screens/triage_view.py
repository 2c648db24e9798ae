"""Triage's keys and views: the fields one key can set, their keys, and the record as shown."""

from __future__ import annotations

import string
from collections.abc import Collection

from rich.table import Table
from rich.text import Text

from crmtui.model import EntitySpec, FieldSpec, FieldType, Record
from crmtui.ui.text import plain

RESERVED = set("jkqz")  # next, previous, leave, undo
CHOICE_KEYS = [*"123456789", *(c for c in string.ascii_lowercase if c not in RESERVED)]
SHOWN_FIELDS = 8  # lines of the record shown besides its title


def triage_fields(fields: list[FieldSpec]) -> list[FieldSpec]:
    """The writable fields with a short list of choices (the ones one key can set)."""
    return [
        f
        for f in fields
        if f.choices and not f.read_only and f.type in (FieldType.CHOICE, FieldType.REFERENCE)
    ]


def field_keys(fields: list[FieldSpec], taken: Collection[str] = ()) -> dict[str, FieldSpec]:
    """An upper-case key per field: the first letter of its label not taken yet (nor by an
    action the user bound to it)."""
    keys: dict[str, FieldSpec] = {}
    for spec in fields:
        letters = [c.upper() for c in spec.label if c.isascii() and c.isalpha()]
        letters += list(string.ascii_uppercase)
        key = next(k for k in letters if k not in keys and k not in taken)
        keys[key] = spec
    return keys


def choice_keys(taken: Collection[str] = ()) -> list[str]:
    """The keys that set a choice, less those the user bound to an action."""
    return [key for key in CHOICE_KEYS if key not in taken]


def keyed_choices(
    field: FieldSpec | None, taken: Collection[str] = ()
) -> list[tuple[str, str, str]]:
    """(key, value, label) for each choice of the chosen field."""
    if field is None:
        return []
    pairs = zip(choice_keys(taken), field.choices, strict=False)
    return [(key, c.value, c.label) for key, c in pairs]


def record_view(
    record: Record | None, entity: EntitySpec, fields: list[FieldSpec], keys: dict[str, FieldSpec]
) -> Table | Text:
    """The record's title and its first non-empty fields (the keyed ones first)."""
    if record is None:
        return Text("loading…", style="dim")
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(no_wrap=True, overflow="ellipsis")
    table.add_row(Text(plain(record.title(entity)), style="bold"), f"id {plain(record.id)}")
    wanted = [f for f in fields if f in keys.values()]
    wanted += [f for f in fields if f not in wanted and record.values.get(f.name)]
    for spec in wanted[:SHOWN_FIELDS]:
        table.add_row(plain(spec.label), Text(plain(record.values.get(spec.name), spec)))
    return table


def fields_view(keys: dict[str, FieldSpec], field: FieldSpec | None) -> Text:
    """Each field with its key; the chosen one highlighted."""
    text = Text("Field: ")
    for key, spec in keys.items():
        style = "bold reverse" if spec is field else ""
        text.append(f" {key} ", style="bold")
        text.append(plain(spec.label), style=style)
        text.append("  ")
    if keys:
        text.append("(shift+letter or tab)", style="dim")
    return text


def choices_view(
    record: Record | None, field: FieldSpec | None, taken: Collection[str] = ()
) -> Text:
    """Each choice of the chosen field with its key; the record's current value marked."""
    current = record.values.get(field.name) if record and field else None
    text = Text("Set:   ")
    for key, value, label in keyed_choices(field, taken):
        text.append(f" {key} ", style="bold")
        if value == current:
            text.append(f"•{plain(label)}", style="bold underline")
        else:
            text.append(plain(label))
        text.append("  ")
    shown = len(choice_keys(taken))
    if field is not None and len(field.choices) > shown:
        text.append(f"(first {shown} of {len(field.choices)})", style="dim")
    return text
