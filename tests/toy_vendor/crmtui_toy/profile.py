"""The toy vendor's profile: one extra key, how many widgets the shop holds."""

from __future__ import annotations

from typing import Literal

from crmtui.model.profile import ProfileBase


class ToyProfile(ProfileBase):
    """A toy shop account."""

    vendor: Literal["toy"]
    """The CRM vendor."""
    widgets: int = 3
    """How many widgets the shop holds."""
