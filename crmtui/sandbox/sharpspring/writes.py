"""SharpSpring's write methods over the store: create, update and delete objects.

Object-level errors (see `methods` for the choices): 301 duplicate email, 302 nothing changed,
404 unknown id (updateLeads alone accepts one silently), 303 a missing reference, 205 invalid
values. The top-level `error` of a write is `[]` or the failing objects' errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmtui.sandbox.sharpspring import schema
from crmtui.sandbox.sharpspring.errors import ApiError, field_error, obj_error
from crmtui.sandbox.sharpspring.schema import NS, OBJECTS, REFERENCES

if TYPE_CHECKING:
    from crmtui.sandbox.sharpspring.methods import SsData

MAX_OBJECTS = 500
"""Objects one write may carry: "a limit of 500 queries per request" (KB 50374); more is 209."""
EXCESS = "Attempting to execute an excess amount of queries."
"""209's message, verbatim from the vendor's error table (KB 50570)."""
LEAD_STORES = ("lead", "inactiveLead")


def objects(params: dict[str, Any]) -> list[dict[str, Any]]:
    """The `objects` array of a write: 207 missing, 208 malformed, 209 too many."""
    objects = params.get("objects")
    if objects is None:
        raise ApiError(207, "Missing objects array")
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise ApiError(208, "Malformed object")
    if len(objects) > MAX_OBJECTS:
        raise ApiError(209, EXCESS)
    return objects


def _values(data: SsData, entity: str, obj: dict[str, Any], *, creating: bool) -> Any:
    """Checked stored values, or an object-level error."""
    known = OBJECTS[entity]
    custom = set(data.custom_names(entity))
    out: dict[str, Any] = {}
    for name, value in obj.items():
        if name == "id" and not creating:
            continue
        spec = known.get(name)
        if name in custom:
            spec = schema.SsField(name, "text")
        if spec is None or spec.read_only:
            return field_error(name, "Unknown field" if spec is None else "Read-only field")
        try:
            checked = schema.check_value(spec, value)
        except ValueError as exc:
            return field_error(name, str(exc))
        if spec.required and checked is None:
            return field_error(name, "Required")
        target = REFERENCES.get(name)
        if checked is not None and target and data.load(target, checked) is None:
            detail = {"params": [{"param": name, "message": f"No {target} with this id"}]}
            return obj_error(303, "Foreign key constraint fails", detail)
        out[name] = ("" if checked is None else checked) if name in custom else checked
    if creating:
        for spec in known.values():
            if spec.required and out.get(spec.name) is None:
                return field_error(spec.name, "Required")
    return out


def _duplicate(data: SsData, email: str | None, rid: str | None = None) -> bool:
    if not email:
        return False
    where = {"_email": email.lower()}
    return any(other != rid for name in LEAD_STORES for other, _ in data._rows(name, where))


def new_id(data: SsData, entity: str) -> str:
    while True:
        rid = str(data.rng.randrange(400_000_000, 1_000_000_000))
        if data.load(entity, rid) is None:
            return rid


def create(data: SsData, entity: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """create{Objects}: one `creates` entry per object, in order."""
    results = []
    for obj in objects(params):
        values = _values(data, entity, obj, creating=True)
        if "success" in values:
            results.append(values)
            continue
        if entity == "lead" and _duplicate(data, values.get("emailAddress")):
            results.append(obj_error(301, "Entry already exists"))
            continue
        rid = new_id(data, entity)
        stamp = data.now()
        row: dict[str, Any] = dict.fromkeys(OBJECTS[entity])
        row.update({name: "" for name in data.custom_names(entity)})
        if entity == "lead":
            row.update(active="1", leadStatus="open", isUnsubscribed="0")
        row.update(values, id=rid, createTimestamp=stamp, updateTimestamp=stamp)
        if entity == "lead":
            row["_email"] = str(values.get("emailAddress") or "").lower()
        data.store.insert(NS, _home(entity, row), row, record_id=rid)
        results.append({"success": True, "error": None, "id": int(rid)})
    return results


def update(data: SsData, entity: str, params: dict[str, Any], *, report_unknown: bool) -> list[Any]:
    """update{Objects}: merge each object's fields; 302 when nothing changes."""
    results: list[Any] = []
    for obj in objects(params):
        rid = str(obj.get("id", "")).strip()
        if not rid.isdigit():
            results.append(field_error("id", "Expected data of type integer"))
            continue
        loaded = data.load(entity, rid)
        if loaded is None:
            unknown = obj_error(404, "Record with that id does not exist")
            results.append(unknown if report_unknown else {"success": True, "error": None})
            continue
        home, current = loaded
        values = _values(data, entity, obj, creating=False)
        if "success" in values:
            results.append(values)
            continue
        if entity == "lead" and "emailAddress" in values:
            if _duplicate(data, values["emailAddress"], rid):
                results.append(obj_error(301, "Entry already exists"))
                continue
            values["_email"] = str(values["emailAddress"] or "").lower()
        if all(current.get(k) == v for k, v in values.items()):
            results.append(obj_error(302, "No table rows affected"))
            continue
        merged = {**current, **values, "updateTimestamp": data.now()}
        if _home(entity, merged) != home:
            data.store.delete(NS, home, rid)
            data.store.insert(NS, _home(entity, merged), merged, record_id=rid)
        else:
            data.store.update(NS, home, rid, {**values, "updateTimestamp": data.now()})
        results.append({"success": True, "error": None})
    return results


def _home(entity: str, row: dict[str, Any]) -> str:
    """The store entity that holds an object (inactive leads apart)."""
    return "inactiveLead" if entity == "lead" and row.get("active") == "0" else entity


def delete(data: SsData, entity: str, params: dict[str, Any]) -> list[Any]:
    """delete{Objects}: `objects` of `{id}`; 404 for an unknown id."""
    results: list[Any] = []
    for obj in objects(params):
        rid = str(obj.get("id", "")).strip()
        if not rid.isdigit():
            results.append(field_error("id", "Expected data of type integer"))
        elif any(data.store.delete(NS, name, rid) for name in data.stores(entity)):
            results.append({"success": True, "error": None})
        else:
            results.append(obj_error(404, "Record with that id does not exist"))
    return results


def write_error(results: list[Any]) -> list[Any]:
    """The top-level `error` of a write: the failing objects' errors (or `[]`)."""
    return [r["error"] for r in results if r.get("success") is not True]
