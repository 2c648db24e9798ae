"""One write policy: for each kind of write, the profile's mode refuses, asks first, or proceeds.

The profile's `mode` is decided on here and nowhere else (the profile model only lists the names).
The UI (one confirm helper) and the CLI (`--yes` answers "ask") act on the same `Verdict`; the
services refuse on their own too, so a write never slips past a read-only profile whatever calls
them. Values are validated once, into a `Validated`/`ChangeSet` that code downstream trusts
(`Validator.check`, `changes_from`); the backends still check anything raw they are given.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from crmtui.errors import UsageError
from crmtui.model import ChangeSet, Validator


class WritePath(enum.Enum):
    """Every way a user can change data at the vendor, with what it does in words."""

    EDIT = "save changes"
    CREATE = "create records"
    DELETE = "delete records"
    BULK = "bulk-edit records"
    RETRY = "send pending writes again"
    RESOLVE = "settle a conflict by sending your choices"
    REVERT = "revert changes"
    RAW = "send a call that writes"
    CAPTURE = "capture activities"
    UPSERT = "send leads"
    ACTION = "run record actions"

    @property
    def words(self) -> str:
        """What the path does, for messages ("… cannot save changes")."""
        return str(self.value)


class Decision(enum.Enum):
    """What the profile's mode says about one write."""

    REFUSE = "refuse"
    ASK = "ask"
    PROCEED = "proceed"


_BY_MODE: dict[str, Decision] = {
    "read-only": Decision.REFUSE,
    "confirm-writes": Decision.ASK,
    "write": Decision.PROCEED,
}


class HasMode(Protocol):
    """What the policy reads of a profile."""

    @property
    def name(self) -> str: ...

    @property
    def mode(self) -> str: ...


@dataclass(frozen=True)
class Verdict:
    """The policy's answer for one write path on one profile."""

    decision: Decision
    path: WritePath
    profile: str
    mode: str

    @property
    def refused(self) -> bool:
        """The profile may not write this way at all."""
        return self.decision is Decision.REFUSE

    @property
    def asks(self) -> bool:
        """The user must confirm first (the UI's dialog, the CLI's prompt or `--yes`)."""
        return self.decision is Decision.ASK

    @property
    def message(self) -> str:
        """Why a refused write is refused, worded for its path."""
        return (
            f"profile {self.profile!r} is {self.mode}: it cannot {self.path.words}; "
            "nothing was sent"
        )

    @property
    def ask_message(self) -> str:
        """What a command without a terminal to ask on says (the CLI's `--yes` answers it)."""
        return (
            f"profile {self.profile!r} is {self.mode}: pass --yes to {self.path.words} "
            "without a prompt; nothing was sent"
        )

    @property
    def hint(self) -> str:
        """One line for a form's mode line: what pressing save will do."""
        if self.decision is Decision.REFUSE:
            return f"this profile cannot {self.path.words}"
        if self.decision is Decision.ASK:
            return "you are asked before anything is sent"
        return "changes are sent without asking"


class WriteRefused(UsageError):
    """The profile's mode refuses this write; nothing was sent."""


class ConfirmationNeeded(UsageError):
    """The profile's mode asks first, and nobody has confirmed."""


def decide(profile: HasMode, path: WritePath, *, writes: bool = True) -> Verdict:
    """The one decision: does the profile's mode refuse, ask or proceed for `path`?

    `writes` False (a raw call that only reads) always proceeds. An unknown mode refuses (the
    profile loader never lets one through).
    """
    mode = str(profile.mode)
    decision = _BY_MODE.get(mode, Decision.REFUSE) if writes else Decision.PROCEED
    return Verdict(decision, path, profile.name, mode)


def refuses_writes(profile: HasMode) -> bool:
    """Whether the profile refuses every write (the UI marks such profiles)."""
    return decide(profile, WritePath.EDIT).refused


def ensure_allowed(profile: HasMode, path: WritePath, *, confirmed: bool = True) -> Verdict:
    """The services' guard: WriteRefused when refused; ConfirmationNeeded when it asks and
    `confirmed` is False. Callers that asked (the UI, the CLI) leave `confirmed` True."""
    verdict = decide(profile, path)
    if verdict.refused:
        raise WriteRefused(verdict.message)
    if verdict.asks and not confirmed:
        raise ConfirmationNeeded(f"{verdict.path.words} on {verdict.profile!r}: confirm first")
    return verdict


# -- validating once -----------------------------------------------------------------------------
def changes_from(
    validator: Validator, values: Mapping[str, Any], old: Mapping[str, Any] | None = None
) -> ChangeSet:
    """The validated changes `values` make to a record whose values were `old`."""
    return ChangeSet(validator.check(values), old)


__all__ = [
    "ConfirmationNeeded",
    "Decision",
    "HasMode",
    "Verdict",
    "WritePath",
    "WriteRefused",
    "changes_from",
    "decide",
    "ensure_allowed",
    "refuses_writes",
]
