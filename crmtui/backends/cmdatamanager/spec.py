"""CMDataManager described once: REST with a bearer token (docs/vendors/cmdatamanager.md)."""

from crmtui.backends.spec import ConsoleShape, RateLimits, VendorSpec
from crmtui.model.fields import Capability

SPEC = VendorSpec(
    name="cmdatamanager",
    label="CMDataManager",
    profile="crmtui.backends.cmdatamanager.profile:CMDataManagerProfile",
    backend="crmtui.backends.cmdatamanager.backend:CMDataManagerBackend",
    capabilities=frozenset(
        {
            Capability.LIST,
            Capability.SORT,
            Capability.TOTAL,
            Capability.FIELD_SELECT,
            Capability.GET,
            Capability.CREATE,
            Capability.UPDATE,
            Capability.DELETE,
            Capability.RAW,
            Capability.ACTIONS,
        }
    ),
    # An hourly quota whose size and reset come from the x-rate-limit-* headers.
    limits=RateLimits(quota=None, quota_period=3600.0),
    console=ConsoleShape("rest", example="/lead?per_page=5&page=1"),  # both or neither: 400
    emulator="crmtui.sandbox.cmdatamanager.app",
    doc="docs/vendors/cmdatamanager.md",
)
