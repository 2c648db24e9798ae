"""LeadSquared described once: REST plus an async API (docs/vendors/leadsquared.md)."""

from crmtui.backends.spec import ConsoleShape, RateLimits, VendorSpec, View
from crmtui.model.fields import Capability

SPEC = VendorSpec(
    name="leadsquared",
    label="LeadSquared",
    profile="crmtui.backends.leadsquared.profile:LeadSquaredProfile",
    backend="crmtui.backends.leadsquared.backend:LeadSquaredBackend",
    capabilities=frozenset(
        {
            Capability.LIST,
            Capability.SEARCH,
            Capability.SORT,
            Capability.TOTAL,
            Capability.GET,
            Capability.CREATE,
            Capability.UPDATE,
            Capability.ASYNC_JOBS,
            Capability.RAW,
        }
    ),
    views=frozenset({View.JOBS, View.CAPTURE}),
    # 25 calls in any 5 seconds (the highest plan).
    limits=RateLimits(window=(25, 5.0)),
    console=ConsoleShape(
        "rest", hosts=("default", "async"), example="LeadManagement.svc/LeadsMetaData.Get"
    ),
    emulator="crmtui.sandbox.leadsquared.app",
    doc="docs/vendors/leadsquared.md",
)
