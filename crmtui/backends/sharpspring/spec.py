"""SharpSpring described once: a JSON-RPC-like API (docs/vendors/sharpspring.md)."""

from crmtui.backends.spec import ConsoleShape, RateLimits, VendorSpec, View
from crmtui.model.fields import Capability

# The methods the console offers (any other method name may be typed).
CONSOLE_METHODS: tuple[str, ...] = (
    "getLead",
    "getLeads",
    "getLeadsDateRange",
    "createLeads",
    "updateLeads",
    "updateLeadsV2",
    "deleteLeads",
    "getFields",
    "getAccount",
    "getAccounts",
    "createAccounts",
    "updateAccounts",
    "deleteAccounts",
    "getCampaign",
    "getCampaigns",
    "createCampaigns",
    "updateCampaigns",
    "deleteCampaigns",
    "getOpportunity",
    "getOpportunities",
    "createOpportunities",
    "updateOpportunities",
    "deleteOpportunities",
    "getDealStages",
    "getUserProfiles",
    "getDealStagesDateRange",
    "getActiveLists",
    "getListMembers",
    "addListMember",
    "removeListMember",
    "getEvents",
    "getEventsByType",
)

SPEC = VendorSpec(
    name="sharpspring",
    label="SharpSpring",
    profile="crmtui.backends.sharpspring.profile:SharpSpringProfile",
    backend="crmtui.backends.sharpspring.backend:SharpSpringBackend",
    capabilities=frozenset(
        {
            Capability.LIST,
            Capability.SEARCH,
            Capability.FIELD_SELECT,
            Capability.GET,
            Capability.CREATE,
            Capability.UPDATE,
            Capability.DELETE,
            Capability.RAW,
            Capability.WATCH,
            Capability.ACTIONS,
        }
    ),
    views=frozenset({View.WATCH}),
    # Ten calls a second and 50,000 a day.
    limits=RateLimits(window=(10, 1.0), quota=50_000, quota_period=86400.0),
    console=ConsoleShape(
        "rpc", CONSOLE_METHODS, example='{"where": {}, "limit": 5}', example_method="getLeads"
    ),
    emulator="crmtui.sandbox.sharpspring.app",
    doc="docs/vendors/sharpspring.md",
)
