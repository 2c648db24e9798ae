"""SharpSpring's public request/response examples, each with its source (see VENDORS-RESEARCH §0).

[SS-EX N] is SharpSpring's own PHP "Example Code" with a `// Sample Response` comment (public
copies; N is the sample number the research file uses). Every sample request is sent as PHP's
json_encode writes it: `"id": ""` (an empty `session_id()`), string limits, and an extra
`"header"` member holding the credentials. `ours` restates the request naming records our
emulator holds (placeholders in braces), so the answer has records to compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CUSTOM = r"_[0-9a-f]{13}$"  # custom field system names differ between accounts


@dataclass(frozen=True)
class Example:
    """One public call: its request params, the vendor's answer, and the same call on our data."""

    name: str
    method: str
    params: dict[str, Any]
    response: dict[str, Any]
    ours: dict[str, Any] | None = None
    writes: str | None = None  # the result key of a write (creates, updates, deletes)
    ignore: tuple[str, ...] = field(default=(CUSTOM,))


LEAD_ONE = {
    "id": "88038560770",
    "accountID": "2023607298",
    "ownerID": "313370204",
    "companyName": "Company One",
    "title": "VPOP",
    "firstName": "Lead",
    "lastName": "One",
    "street": "555 SW 5th St",
    "city": "Gainesville",
    "country": "United States",
    "state": "FL",
    "zipcode": "32601",
    "emailAddress": "lead.one@gmail.com",
    "website": "www.leadone.com",
    "phoneNumber": "5555555555",
    "officePhoneNumber": "0987654321",
    "phoneNumberExtension": "55",
    "mobilePhoneNumber": "3333333333",
    "faxNumber": "8888888888",
    "description": "This is Lead One description text",
    "campaignID": "357630978",
    "leadScore": "20",
    "industry": "Finance",
    "active": "1",
    "isUnsubscribed": "0",
    "updateTimestamp": "2016-11-09 17:18:22",
    "leadScoreWeighted": "20",
    "leadStatus": "qualified",
    "api_big_text_area_57f6638adc5b8": "",
    "youcanbookme_57fd3be859a53": "",
}

EXAMPLES = (
    # SS-EX 21555641858: getLead by id.
    Example(
        "getLead",
        "getLead",
        {"id": "88038560770"},
        {"result": {"lead": [LEAD_ONE]}, "error": None, "id": ""},
        ours={"id": "{lead}"},
    ),
    # SS-EX 21358633029: getLeads by id (its sample lead lacks names and email: hand-edited,
    # VENDORS-RESEARCH §6, so only the keys it shows are compared).
    Example(
        "getLeads",
        "getLeads",
        {"where": {"id": "88038560770"}, "limit": "1", "offset": "0"},
        {
            "result": {
                "lead": [
                    {
                        k: v
                        for k, v in LEAD_ONE.items()
                        if k
                        not in (
                            "firstName",
                            "lastName",
                            "emailAddress",
                            "leadScoreWeighted",
                            "youcanbookme_57fd3be859a53",
                        )
                    }
                ]
            },
            "error": None,
            "id": "",
        },
        ours={"where": {"id": "{lead}"}, "limit": "1", "offset": "0"},
    ),
    # SS-EX 21382476013: getLeadsDateRange, created in a window (no limit or offset).
    Example(
        "getLeadsDateRange",
        "getLeadsDateRange",
        {
            "startDate": "2016-11-02 00:00:00",
            "endDate": "2016-11-10 23:59:59",
            "timestamp": "create",
        },
        {
            "result": {
                "lead": [
                    {
                        **LEAD_ONE,
                        "id": "88038561794",
                        "isUnsubscribed": "1",
                        "leadStatus": "contact",
                    }
                ]
            },
            "error": None,
            "id": "",
        },
        ours={
            "startDate": "2000-01-01 00:00:00",
            "endDate": "2099-12-31 23:59:59",
            "timestamp": "create",
            "limit": "3",
        },
    ),
    # SS-EX 21708556450: getFields of custom fields.
    Example(
        "getFields",
        "getFields",
        {"where": {"isCustom": "1"}, "limit": "5", "offset": "0"},
        {
            "result": {
                "field": [
                    {
                        "id": "489210882",
                        "relationship": "lead",
                        "systemName": "api_big_text_area_57f6638adc5b8",
                        "label": "API Big Text Area",
                        "source": "sharpspring",
                        "dataType": "textarea",
                        "dataLength": "10000",
                        "isRequired": "0",
                        "isCustom": "1",
                        "isAvailableInContactManager": "1",
                        "isEditableInContactManager": "1",
                        "isAvailableInForms": "0",
                        "isActive": "1",
                    },
                ]
            },
            "error": None,
            "id": "",
        },
    ),
    # SS-EX 21268166079: getAccountsDateRange.
    Example(
        "getAccountsDateRange",
        "getAccountsDateRange",
        {
            "startDate": "2016-10-18 00:00:00",
            "endDate": "2016-10-26 23:59:59",
            "timestamp": "create",
        },
        {
            "result": {
                "account": [
                    {
                        "id": "2036272130",
                        "ownerID": "313361052",
                        "accountName": "Test Account API 1",
                        "industry": "Finance",
                        "phone": None,
                        "annualRevenue": "500",
                        "numberOfEmployees": "0",
                        "website": None,
                        "yearStarted": None,
                        "fax": None,
                        "billingCity": None,
                        "billingCountry": None,
                        "billingPostalCode": None,
                        "billingState": "Florida",
                        "billingStreetAddress": None,
                        "shippingCity": None,
                        "shippingCountry": None,
                        "shippingPostalCode": None,
                        "shippingState": None,
                        "shippingStreetAddress": None,
                    },
                ]
            },
            "error": None,
            "id": "",
        },
        ours={
            "startDate": "2000-01-01 00:00:00",
            "endDate": "2099-12-31 23:59:59",
            "timestamp": "create",
            "limit": "3",
        },
    ),
    # SS-EX 21556002598: getCampaigns by id.
    Example(
        "getCampaigns",
        "getCampaigns",
        {"where": {"id": "358784002"}, "limit": "1", "offset": "0"},
        {
            "result": {
                "campaign": [
                    {
                        "id": "358784002",
                        "campaignName": "Test Campaign API Two",
                        "campaignType": "Email",
                        "campaignAlias": "Clever Nickname",
                        "campaignOrigin": "SharpSpring",
                        "qty": "2",
                        "price": "1000.00",
                        "goal": "5000.00",
                        "otherCosts": "100.00",
                        "startDate": "2016-09-23",
                        "endDate": "2016-10-21",
                        "isActive": "0",
                    },
                ]
            },
            "error": None,
            "id": "",
        },
        ours={"where": {"id": "{campaign}"}, "limit": "1", "offset": "0"},
    ),
    # SS-EX 21597952151: getDealStagesDateRange (descriptions keep their spaces).
    Example(
        "getDealStagesDateRange",
        "getDealStagesDateRange",
        {
            "startDate": "2016-11-02 00:00:00",
            "endDate": "2016-11-05 23:59:59",
            "timestamp": "create",
        },
        {
            "result": {
                "dealStage": [
                    {
                        "id": "321368066",
                        "dealStageName": "Test Deal Stage API",
                        "description": " This is an editable Deal Stage created through the API ",
                        "defaultProbability": "10",
                        "weight": "2",
                        "isEditable": "1",
                    },
                ]
            },
            "error": None,
            "id": "",
        },
        ours={
            "startDate": "2000-01-01 00:00:00",
            "endDate": "2099-12-31 23:59:59",
            "timestamp": "create",
        },
    ),
    # SS-EX 21761198173: getOpportunities by campaign (its second record has campaignID as a
    # JSON number: only the first, all strings, is the model).
    Example(
        "getOpportunities",
        "getOpportunities",
        {"where": {"campaignID": "357630978"}, "limit": "5", "offset": "0"},
        {
            "result": {
                "opportunity": [
                    {
                        "id": "905270274",
                        "ownerID": "313361052",
                        "dealStageID": "321368066",
                        "accountID": "2023608322",
                        "campaignID": "357630978",
                        "opportunityName": "Company Two Opportunity",
                        "probability": "10",
                        "amount": "1000",
                        "isClosed": "0",
                        "isWon": "0",
                        "closeDate": "2016-11-26 00:00:00",
                        "isActive": "1",
                        "primaryLeadID": None,
                    },
                ]
            },
            "error": None,
            "id": "",
        },
        ours={"where": {}, "limit": "5", "offset": "0"},
    ),
    # SS-EX 22099201700: getUserProfiles by id.
    Example(
        "getUserProfiles",
        "getUserProfiles",
        {"where": {"id": "313361052"}, "limit": "5", "offset": "0"},
        {
            "result": {
                "userProfile": [
                    {
                        "id": "313361052",
                        "firstName": "",
                        "lastName": "",
                        "displayName": "Test User",
                        "emailAddress": "test.user@example.com",
                        "isActive": "1",
                        "isReseller": "0",
                        "userTimezone": None,
                        "phone": None,
                    },
                ]
            },
            "error": None,
            "id": "",
        },
        ours={"where": {"id": "{user}"}, "limit": "5", "offset": "0"},
    ),
    # SS-EX 21429148318: getActiveLists with an empty where.
    Example(
        "getActiveLists",
        "getActiveLists",
        {"where": [], "limit": "2", "offset": "0"},  # PHP's empty array() encodes as []
        {
            "result": {
                "activeList": [
                    {
                        "id": "422420482",
                        "name": "API List",
                        "memberCount": "1",
                        "removedCount": "0",
                        "createTimestamp": "2016-10-14 16:00:53",
                        "description": "Api test email send list",
                    },
                    {
                        "id": "427083778",
                        "name": "Example API List",
                        "memberCount": "0",
                        "removedCount": "0",
                        "createTimestamp": "2016-11-10 16:14:00",
                        "description": "This list was created via the API",
                    },
                ]
            },
            "error": None,
            "id": "",
        },
    ),
    # SS-EX 21947501130: getListMembers by where.id; hasMore at the top and in result.
    Example(
        "getListMembers",
        "getListMembers",
        {"where": {"id": "427083778"}, "limit": "5", "offset": "0"},
        {
            "hasMore": False,
            "result": {
                "getWherelistMemberGets": [
                    {
                        "id": "1253502581762",
                        "listID": "427083778",
                        "companyName": "",
                        "leadID": "482357234690",
                        "firstName": "Person",
                        "lastName": "1",
                        "emailAddress": "person.1@gmail.com",
                    },
                ],
                "hasMore": False,
            },
            "error": [],
            "id": "",
        },
        ours={"where": {"id": "{list}"}, "limit": "5", "offset": "0"},
    ),
    # SS-EX 21636118592: addListMember.
    Example(
        "addListMember",
        "addListMember",
        {"listID": "428231682", "memberID": "482377109506"},
        {
            "result": {"creates": [{"success": True, "error": None, "id": 718897186818}]},
            "error": [],
            "id": "",
        },
        ours={"listID": "{list}", "memberID": "{new_member}"},
        writes="creates",
    ),
    # SS-EX 22067891313: getEvents of a lead. The public copy lost the answer's opening; its
    # result key `event` is the kencookco client's (`results/EventResult.java`).
    Example(
        "getEvents",
        "getEvents",
        {"where": {"leadID": "98206572547"}, "limit": "3", "offset": "0"},
        {
            "result": {
                "event": [
                    {
                        "id": "6257358850",
                        "leadID": "49057634306",
                        "eventName": "Lead unsubscribed from email.",
                        "whatID": "372514818",
                        "whatType": "email",
                        "eventData": None,
                        "createTimestamp": "2016-11-08 13:50:40",
                    },
                ]
            },
            "error": None,
            "id": "",
        },
        ours={"where": {"leadID": "{event_lead}"}, "limit": "3", "offset": "0"},
    ),
    # VENDORS-RESEARCH §1.5, SS-EX (several files): a successful createLeads.
    Example(
        "createLeads",
        "createLeads",
        {"objects": [{"firstName": "Pat", "emailAddress": "pat.conformance@example.test"}]},
        {
            "result": {"creates": [{"success": True, "error": None, "id": 321368066}]},
            "error": [],
            "id": "",
        },
        ours={"objects": [{"firstName": "Pat", "emailAddress": "pat.{stamp}@example.test"}]},
        writes="creates",
    ),
    # VENDORS-RESEARCH §1.5, SS-EX (several files): a successful updateLeads.
    Example(
        "updateLeads",
        "updateLeads",
        {"objects": [{"id": "88038560770", "city": "Ocala"}]},
        {"result": {"updates": [{"success": True, "error": None}]}, "error": [], "id": ""},
        ours={"objects": [{"id": "{lead}", "city": "Ocala {stamp}"}]},
        writes="updates",
    ),
)

# KB "Open API Overview" (help.sharpspring.com 115001069228, quoted in GitHub file 38970700678):
# an API-level error, in the body of an HTTP 200.
API_ERROR = {
    "result": None,
    "error": {
        "code": 205,
        "message": "Invalid parameters",
        "data": {
            "params": [
                {
                    "param": "id",
                    "message": "Expected data of type integer",
                    "validFormat": {"type": "int", "length": 11, "required": False},
                }
            ]
        },
    },
    "id": "",
}
# The same KB page: an object-level error inside `creates` (`success` the string "false").
# The KB shows the top-level error null; rmuit (Connection.php::call) observed the failing
# objects' errors there as an array: the record leaves it open, our emulator sends the array.
OBJECT_ERROR = {
    "result": {
        "creates": [
            {
                "success": "false",
                "error": {"code": 301, "message": "Entry already exists", "data": []},
            }
        ]
    },
    "error": None,
    "id": "",
}
# rmuit src/Connection.php getLead docblock ("fix_empty_leads"): an unknown id answers a lead
# holding only leadStatus "open" and its custom fields, empty, with no id.
GHOST = {
    "result": {
        "lead": [
            {
                "leadStatus": "open",
                "api_big_text_area_57f6638adc5b8": "",
                "youcanbookme_57fd3be859a53": "",
            }
        ]
    },
    "error": None,
    "id": "",
}
# AE-SS authentication yml (a live probe, secondary): unknown credentials are HTTP 401, text.
AUTH_FAILURE_TEXT = "Unable to determine clusterID from provided accountID/secretKey"
