"""InfluencerSoft's lead fields, entities and groups (docs/vendors/influencersoft.md)."""

from __future__ import annotations

from dataclasses import dataclass

from crmtui.model import ActionSpec, Capability, EntitySpec, FieldSpec, FieldType

LEAD_NOTE = (
    "InfluencerSoft reads back only a lead's groups (get a lead by email); use the form to add "
    "or update a lead by email; the history lists what crmtui sent"
)
TAG_FIELDS = ("add_tags", "remove_tags")
ADD_TO_GROUP = ActionSpec(
    "add_to_group",
    "Add the lead to a group (AddLeadToGroup)",
    (
        FieldSpec("group", "Group", required=True, description="the group's title or id"),
        FieldSpec("activation", "Ask to confirm", FieldType.BOOLEAN),
    ),
)
LIST_FIELDS = ("add_to_lists", "remove_from_lists")

_TEXT = FieldType.STRING
# (system name, label, type, description) for every addupdatelead field, in the vendor's order.
_LEAD: tuple[tuple[str, str, FieldType, str], ...] = (
    ("lead_email", "Email", FieldType.EMAIL, "the match key: a lead with this email is updated"),
    ("lead_first_name", "First name", _TEXT, ""),
    ("lead_middle_name", "Middle name", _TEXT, ""),
    ("lead_last_name", "Last name", _TEXT, ""),
    ("lead_phone", "Phone", FieldType.PHONE, ""),
    ("lead_utc", "Time zone", _TEXT, "UTC offset: UTC+03, +03, -01, 3 or -1"),
    ("lead_description", "Description", FieldType.TEXT, "shown in the contact card"),
    ("lead_personal_manager", "Personal manager", _TEXT, "the employee id of the manager"),
    ("lead_shipping_address_1", "Shipping address 1", _TEXT, ""),
    ("lead_shipping_address_2", "Shipping address 2", _TEXT, ""),
    ("lead_shipping_city", "Shipping city", _TEXT, ""),
    ("lead_shipping_zip", "Shipping ZIP", _TEXT, ""),
    ("lead_shipping_country_code", "Shipping country", _TEXT, "ISO code, e.g. US or CA"),
    ("lead_shipping_state", "Shipping state", _TEXT, ""),
    ("lead_billing_address_1", "Billing address 1", _TEXT, ""),
    ("lead_billing_address_2", "Billing address 2", _TEXT, ""),
    ("lead_billing_city", "Billing city", _TEXT, ""),
    ("lead_billing_state", "Billing state", _TEXT, ""),
    ("lead_billing_zip", "Billing ZIP", _TEXT, ""),
    ("lead_billing_country_code", "Billing country", _TEXT, "ISO code, e.g. US or CA"),
    ("lead_facebook", "Facebook id", _TEXT, ""),
    ("lead_instagram", "Instagram id", _TEXT, ""),
    ("lead_whatsapp", "WhatsApp id", _TEXT, ""),
    ("lead_telegram", "Telegram id", _TEXT, ""),
    ("lead_viber", "Viber id", _TEXT, ""),
    ("lead_vkontakte", "VKontakte id", _TEXT, ""),
    ("lead_in", "LinkedIn id", _TEXT, ""),
)
LEAD_FIELD_NAMES: tuple[str, ...] = tuple(name for name, *_ in _LEAD)


def lead_fields() -> list[FieldSpec]:
    """The addupdatelead fields (email required: crmtui upserts by email), then tags and lists."""
    specs = [
        FieldSpec(
            name,
            label,
            kind,
            required=name == "lead_email",
            max_length=2 if name.endswith("country_code") else None,
            description=description,
        )
        for name, label, kind, description in _LEAD
    ]
    specs += [
        FieldSpec("add_tags", "Add tags", description="comma-separated tags to add"),
        FieldSpec("remove_tags", "Remove tags", description="comma-separated tags to remove"),
        FieldSpec("add_to_lists", "Add to lists", description="group names, comma-separated"),
        FieldSpec(
            "remove_from_lists", "Remove from lists", description="group names, comma-separated"
        ),
    ]
    return specs


def group_fields() -> list[FieldSpec]:
    """A group (list) as GetAllGroups describes it."""
    return [
        FieldSpec("rass_title", "Title", read_only=True),
        FieldSpec("rass_name", "Group id", read_only=True),
    ]


def entity_specs() -> list[EntitySpec]:
    """Leads (upsert only) and groups (listed)."""
    return [
        EntitySpec(
            "lead",
            "Leads",
            frozenset({Capability.CREATE, Capability.GET, Capability.SEARCH, Capability.ACTIONS}),
            title_fields=("lead_first_name", "lead_last_name", "lead_email"),
            search_fields=("lead_email",),
            note=LEAD_NOTE,
        ),
        EntitySpec(
            "group",
            "Groups",
            frozenset({Capability.LIST, Capability.TOTAL, Capability.GET}),
            title_fields=("rass_title",),
            note="Groups (lists) of the account, as GetAllGroups gives them",
        ),
    ]


@dataclass(frozen=True)
class Group:
    """One InfluencerSoft group (list): its id (`rass_name`) and title (`rass_title`)."""

    id: str
    title: str
