"""Descriptions of entities and fields: what a backend offers and how each value is typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    """The value types crmtui understands; every vendor type maps onto one of these."""

    STRING = "string"
    TEXT = "text"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    CHOICE = "choice"
    REFERENCE = "reference"


class Capability(StrEnum):
    """What a backend (or one of its entities) can do; the UI and CLI read these flags."""

    LIST = "list"
    SEARCH = "search"  # server-side search (by email, by a field)
    SORT = "sort"  # server-side sort
    TOTAL = "total"  # pages carry the total count
    FIELD_SELECT = "field_select"  # a list call can ask for some fields only
    GET = "get"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RAW = "raw"  # raw calls from the console
    WATCH = "watch"  # created/updated-since polling
    ASYNC_JOBS = "async_jobs"
    ACTIONS = "actions"  # record actions such as lead convert or task close


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice field."""

    value: str
    label: str


@dataclass(frozen=True)
class FieldSpec:
    """One field of an entity, as the vendor's metadata (or its documentation) describes it."""

    name: str  # the system name, which never changes
    label: str
    type: FieldType = FieldType.STRING
    required: bool = False
    read_only: bool = False
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    custom: bool = False
    reference: str | None = None  # the entity a reference field points to
    description: str = ""
    reference_entity_field: str | None = None
    """A reference to any entity: the field of the same record whose value names the entity."""

    def choice_label(self, value: str) -> str:
        """The label of a choice value, or the value itself when it is not listed."""
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


@dataclass(frozen=True)
class ActionSpec:
    """A record action beyond CRUD (convert a lead, close a task, create a linked record)."""

    name: str
    label: str
    params: tuple[FieldSpec, ...] = ()
    writes: bool = True


@dataclass(frozen=True)
class EntitySpec:
    """An entity (leads, accounts, ...) and what the backend can do with it."""

    name: str
    label: str
    capabilities: frozenset[Capability] = field(default_factory=frozenset)
    title_fields: tuple[str, ...] = ()  # fields that name a record, joined by spaces
    search_fields: tuple[str, ...] = ()  # fields the server can search by
    custom: bool = False
    note: str = ""  # shown in the UI where the vendor limits what can be done

    def can(self, capability: Capability) -> bool:
        """Whether this entity supports `capability`."""
        return capability in self.capabilities


def field_map(fields: list[FieldSpec] | tuple[FieldSpec, ...]) -> dict[str, FieldSpec]:
    """Fields by system name."""
    return {f.name: f for f in fields}
