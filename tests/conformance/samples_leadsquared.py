"""LeadSquared's public samples (requests and answers), each with its source, for the
conformance suite (tests/conformance/test_leadsquared_public.py)."""

from __future__ import annotations

import json
from typing import Any

GUID = "3131ea6a-bb20-4457-b183-ddf6d8716dfe"

# apidocs.leadsquared.com/get-lead-by-email (keys and values as VENDORS-RESEARCH §2.3 quotes them)
LEAD_BY_EMAIL = [
    {
        "ProspectID": "ed477dea-d2fe-11e6-b5f1-22000aa8e760",
        "ProspectAutoId": "1016",
        "FirstName": "John",
        "LastName": "Smith",
        "EmailAddress": "johnsmith31@acmecorp.com",
        "Company": "Acme Corp",
        "Origin": None,
        "Phone": None,
        "Mobile": None,
        "Website": None,
        "TimeZone": None,
        "Source": None,
        "SourceMedium": None,
        "SourceCampaign": None,
        "SourceContent": None,
        "DoNotEmail": "0",
        "DoNotCall": "0",
        "ProspectStage": "Prospect",
        "Score": "-10",
        "Revenue": "25",
        "EngagementScore": "0",
        "TotalVisits": None,
        "PageViewsPerVisit": None,
        "AvgTimePerVisit": None,
        "RelatedProspectId": None,
        "ProspectActivityId_Min": None,
        "ProspectActivityId_Max": None,
        "ProspectActivityDate_Min": "2017-11-30 07:40:18.000",
    }
]
# apidocs.leadsquared.com/get-leads-by-date-range/ (request and response)
RECENT_REQUEST: dict[str, Any] = {
    "Parameter": {"FromDate": "2016-09-05 02:00:00", "ToDate": "2016-09-08 02:20:00"},
    "Columns": {"Include_CSV": "ProspectID,FirstName,LastName,EmailAddress"},
    "Paging": {"PageIndex": 1, "PageSize": 100},
    "Sorting": {"ColumnName": "ProspectAutoId", "Direction": "1"},
}
RECENT_ANSWER = {
    "RecordCount": 1,
    "Leads": [
        {
            "LeadPropertyList": [
                {"Attribute": "ProspectID", "Value": "ed477dea-d2fe-11e6-b5f1-22000aa8e760"},
                {"Attribute": "FirstName", "Value": "John"},
                {"Attribute": "LastName", "Value": "Smith"},
                {"Attribute": "EmailAddress", "Value": "johnsmith31@acmecorp.com"},
                {"Attribute": "CanUpdate", "Value": "true"},
            ]
        }
    ],
}
# apidocs.leadsquared.com/search-by-lead-criteria/ (request as written)
CRITERIA_REQUEST: dict[str, Any] = {
    "Parameter": {
        "LookupName": "CreatedOn",
        "LookupValue": "2015-01-01 14:36:59",
        "SqlOperator": ">",
    },
    "Columns": {"Include_CSV": "ProspectID, FirstName, LastName, EmailAddress"},
    "Sorting": {"ColumnName": "CreatedOn", "Direction": "1"},
    "Paging": {"PageIndex": 1, "PageSize": 100},
}
# apidocs LeadsMetaData.Get?schemaName=Phone (VENDORS-RESEARCH §2.3)
PHONE_METADATA = [
    {
        "Entity": "1",
        "SchemaName": "Phone",
        "DisplayName": "Phone Number",
        "DataType": "Phone",
        "IsMandatory": False,
        "MaxLength": "10",
        "EntityAttributeId": 123,
        "RenderType": 6,
        "RenderTypeTextValue": "Phone",
        "IsVisible": True,
        "IsSearchable": True,
        "CreatedOn": "/Date(1417453996000+0000)/",
        "ModifiedOn": "/Date(1457006650000+0000)/",
        "IsLeadIdentifier": True,
        "LockAfterCreate": 1,
    }
]
# dpaluy/leadsquared spec/leadsquared/lead_management_spec.rb (#get_meta_data)
METADATA_DPALUY = [
    {
        "SchemaName": "mx_CreationTime",
        "DisplayName": "CreationTime",
        "DataType": "Time",
        "IsMandatory": False,
        "MaxLength": "50",
        "RenderType": 21,
        "RenderTypeTextValue": "Time",
    }
]
# seed 003 (apidocs capture-opportunities-async): the request body, identical for sync and async
CAPTURE_BODY = {
    "LeadDetails": [
        {"Attribute": "EmailAddress", "Value": "johndoe@example.com"},
        {"Attribute": "mx_City", "Value": "Bangalore"},
        {"Attribute": "SearchBy", "Value": "EmailAddress"},
    ],
    "Opportunity": {
        "OpportunityEventCode": 12231,
        "OpportunityNote": "Opportunity capture api",
        "OpportunityDateTime": "2020-12-05 12:13:44",
        "Fields": [
            {"SchemaName": "mx_Custom_1", "Value": "1"},
            {"SchemaName": "mx_Custom_2", "Value": "1"},
        ],
    },
}
ACCEPTED = {
    "Status": "Request accepted. Please use below request id to check the status",
    "RequestID": "8eca6fa6-262c-43eb-8cfe-6e3325e2dc73",
}
# apidocs capture-opportunities-status (VENDORS-RESEARCH §2.4)
TASK_STATUS = {
    "RequestId": "c1d867a7-a325-4b68-954f-237dcd3c15e1",
    "TaskStatus": {
        "TaskType": "Opportunity Capture",
        "Status": "Success",
        "StatusReason": "Request was successfully completed",
        "TaskCurrentStep": None,
        "TaskLastStep": "In-Process-Queue",
        "RequestBody": json.dumps(CAPTURE_BODY),
        "Message": '{"Status":"Success","Message":{"AffectedRows":1}}',
    },
}
