"""A vendor described once: the `VendorSpec` each vendor folder's `spec.py` exports as `SPEC`.

A spec is cheap to import: it holds plain values and "module:attr" references, resolved only
when used, so listing the vendors (or checking a profile's vendor name) loads no backend, no
HTTP client and no emulator. See docs/vendors/README.md for what a vendor folder holds.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from crmtui.model.fields import Capability

Kind = Literal["rest", "rpc", "form"]
HTTP_METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")


class View(StrEnum):
    """An extra view (screen and CLI command) a vendor offers beyond browsing and editing."""

    UPSERT = "upsert"  # add-or-update form by a match key (`crmtui upsert`)
    SENT = "sent"  # the local history of what was sent (`crmtui sent`)
    JOBS = "jobs"  # async requests followed in the jobs file (`crmtui jobs`)
    CAPTURE = "capture"  # capture an opportunity from a lead (`crmtui capture`)
    WATCH = "watch"  # live changed-since polling of an entity (`crmtui watch`)


@dataclass(frozen=True)
class ConsoleShape:
    """What a raw console request is made of for a vendor, so editors and parsers are data-driven.

    kind rest: method, path, query, headers, JSON body; rpc: a method name and params JSON;
    form: a method name and form fields.
    """

    kind: Kind = "rest"
    methods: tuple[str, ...] = HTTP_METHODS
    """HTTP verbs (rest) or known method names (rpc, form; others may be typed)."""
    hosts: tuple[str, ...] = ("default",)
    example: str = ""
    """A working first request (a read): path and query (rest), params (rpc) or form fields."""
    example_method: str = ""
    """The method name that goes with `example` (rpc, form)."""


@dataclass(frozen=True)
class RateLimits:
    """The pace a vendor documents (or we choose), handed to the HTTP layer's `Limits`."""

    window: tuple[int, float] | None = None
    """At most N requests per T seconds."""
    quota: int | None = None
    """Requests per quota period; None = unknown or unlimited."""
    quota_period: float = 86400.0


@dataclass(frozen=True)
class VendorSpec:
    """Everything the shared code needs to know about one vendor, by name and reference."""

    name: str
    """The `vendor` key of a profile; also the sandbox's mount path."""
    label: str
    """The vendor's display name."""
    profile: str
    """"module:Class" of the vendor's profile model (a `ProfileBase` subclass)."""
    backend: str
    """"module:Class" of the vendor's `Backend`."""
    capabilities: frozenset[Capability] = frozenset()
    """What the backend as a whole supports (entities narrow it further)."""
    views: frozenset[View] = frozenset()
    """Extra views; each is backed by a capability protocol in `crmtui.backends.capabilities`."""
    limits: RateLimits = field(default_factory=RateLimits)
    console: ConsoleShape = field(default_factory=ConsoleShape)
    emulator: str | None = None
    """Module path of the sandbox emulator (see `crmtui.sandbox.vendors`), or None for none."""
    doc: str = ""
    """The page (docs/vendors/<name>.md) holding the protocol notes this vendor follows."""


def resolve(reference: str) -> Any:
    """The object a "package.module:attr" reference names, importing its module."""
    module_name, sep, attr = reference.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"expected 'module:attr', not {reference!r}")
    return getattr(importlib.import_module(module_name), attr)
