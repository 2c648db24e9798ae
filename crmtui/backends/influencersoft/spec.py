"""InfluencerSoft described once: a write-mostly form API (docs/vendors/influencersoft.md)."""

from crmtui.backends.spec import ConsoleShape, RateLimits, VendorSpec, View
from crmtui.model.fields import Capability

SPEC = VendorSpec(
    name="influencersoft",
    label="InfluencerSoft",
    profile="crmtui.backends.influencersoft.profile:InfluencerSoftProfile",
    backend="crmtui.backends.influencersoft.backend:InfluencerSoftBackend",
    capabilities=frozenset({Capability.CREATE, Capability.LIST, Capability.GET, Capability.RAW}),
    views=frozenset({View.UPSERT, View.SENT}),
    # No published rate limit: we pace ourselves so a burst of upserts (or a bug) cannot hammer
    # an account whose hidden limit we cannot see.
    limits=RateLimits(window=(5, 1.0)),
    console=ConsoleShape(
        "form",
        (
            "addupdatelead",
            "removetagfromlead",
            "GetAllGroups",
            "GetLeadGroupStatuses",
            "AddLeadToGroup",
            "DeleteSubscribe",
        ),
        example_method="GetAllGroups",
    ),
    emulator="crmtui.sandbox.influencersoft.app",
    doc="docs/vendors/influencersoft.md",
)
