"""The toy vendor's spec: what an out-of-tree vendor package declares (see docs/vendors)."""

from crmtui.backends.spec import ConsoleShape, VendorSpec
from crmtui.model.fields import Capability

SPEC = VendorSpec(
    name="toy",
    label="Toy CRM",
    profile="crmtui_toy.profile:ToyProfile",
    backend="crmtui_toy.backend:ToyBackend",
    capabilities=frozenset({Capability.LIST, Capability.GET, Capability.TOTAL}),
    console=ConsoleShape("rest", example="/widgets"),
)
