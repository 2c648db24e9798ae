"""Validation of values against field descriptions, with pydantic models built from them.

pydantic is imported when the first values are checked, not with this module: start-up (which
imports the validator's type) has no use for it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any

from crmtui.errors import ValidationFailed
from crmtui.model.changes import Validated
from crmtui.model.fields import FieldSpec, FieldType
from crmtui.model.sanitize import first_unsafe

if TYPE_CHECKING:
    from pydantic import BaseModel

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{3,30}(\s*(x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)
URL_RE = re.compile(r"^(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?([/?#]\S*)?$")
TRUE_WORDS = {"1", "true", "yes", "y", "on"}
FALSE_WORDS = {"0", "false", "no", "n", "off"}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(spec: FieldSpec) -> Any:
    def check(value: Any) -> str | None:
        if _blank(value):
            return None
        text = value if isinstance(value, str) else str(value)
        if spec.max_length is not None and len(text) > spec.max_length:
            raise ValueError(f"at most {spec.max_length} characters (this has {len(text)})")
        if spec.type is FieldType.EMAIL and not EMAIL_RE.match(text.strip()):
            raise ValueError(f"{text!r} is not an email address")
        if spec.type is FieldType.PHONE and not PHONE_RE.match(text.strip()):
            raise ValueError(f"{text!r} is not a phone number")
        if spec.type is FieldType.URL and not URL_RE.match(text.strip()):
            raise ValueError(f"{text!r} is not a web address")
        if spec.type in (FieldType.EMAIL, FieldType.PHONE, FieldType.URL):
            return text.strip()
        return text

    return check


def _integer(value: Any) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a whole number")
    if isinstance(value, int):
        return value
    text = str(value).strip().replace(",", "")
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(f"{value!r} is not a whole number")
    return int(text)


def _decimal(value: Any) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a number")
    return number


def _boolean(value: Any) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{value!r} is not yes/no (use true/false, yes/no or 1/0)")


def _date(value: Any) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _datetime(value: Any) -> dt.datetime | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time (YYYY-MM-DD HH:MM:SS)") from None


def _choice(spec: FieldSpec) -> Any:
    def check(value: Any) -> str | None:
        if _blank(value):
            return None
        text = str(value).strip()
        for choice in spec.choices:
            if text == choice.value:
                return choice.value
        for choice in spec.choices:
            if text.lower() in (choice.value.lower(), choice.label.lower()):
                return choice.value
        if not spec.choices:
            return text
        allowed = ", ".join(c.value for c in spec.choices)
        raise ValueError(f"{text!r} is not one of: {allowed}")

    return check


def _reference(value: Any) -> str | None:
    return None if _blank(value) else str(value).strip()


def _checker(spec: FieldSpec) -> Any:
    match spec.type:
        case FieldType.INTEGER:
            return _integer
        case FieldType.DECIMAL:
            return _decimal
        case FieldType.BOOLEAN:
            return _boolean
        case FieldType.DATE:
            return _date
        case FieldType.DATETIME:
            return _datetime
        case FieldType.CHOICE:
            return _choice(spec)
        case FieldType.REFERENCE:
            return _reference
        case _:
            return _text(spec)


def build_model(fields: Sequence[FieldSpec]) -> type[BaseModel]:
    """A pydantic model with one optional attribute per field, each parsed by its type."""
    from pydantic import BeforeValidator, ConfigDict, create_model

    definitions: dict[str, Any] = {
        f"f{i}": (Annotated[Any, BeforeValidator(_checker(spec))], None)
        for i, spec in enumerate(fields)
    }
    model: type[BaseModel] = create_model(
        "RecordValues", __config__=ConfigDict(extra="forbid"), **definitions
    )
    return model


class Validator:
    """Validates and types values for one entity's fields; reusable across many records."""

    def __init__(self, fields: Sequence[FieldSpec]) -> None:
        self.fields = list(fields)
        self.schema = tuple(self.fields)
        self._by_name = {spec.name: spec for spec in self.fields}
        self._slot = {spec.name: f"f{i}" for i, spec in enumerate(self.fields)}
        self._built: type[BaseModel] | None = None

    @property
    def _model(self) -> type[BaseModel]:
        """The fields' pydantic model, built on the first check."""
        if self._built is None:
            self._built = build_model(self.fields)
        return self._built

    def validate(self, values: Mapping[str, Any], *, creating: bool = False) -> dict[str, Any]:
        """Typed values for `values`, or ValidationFailed naming each field at fault.

        When `creating`, every required field must have a value; otherwise only the given fields
        are checked, and a required field may not be emptied. Values this validator (or one of
        the same fields) already checked (`Validated`) are returned as they are.
        """
        return dict(self.check(values, creating=creating))

    def check(self, values: Mapping[str, Any], *, creating: bool = False) -> Validated:
        """Like `validate`, but the answer is `Validated`: trusted downstream, never re-checked."""
        if isinstance(values, Validated) and values.trusted_by(self.schema, creating):
            return values
        return Validated(self.run(values, creating), self.schema, creating)

    def run(self, values: Mapping[str, Any], creating: bool) -> dict[str, Any]:
        """The check itself: every value parsed by its field's type (what tests count)."""
        errors: dict[str, str] = {}
        slots: dict[str, Any] = {}
        for name, value in values.items():
            spec = self._by_name.get(name)
            unsafe = first_unsafe(value) if isinstance(value, str) else None
            if spec is None:
                errors[name] = unknown_field_message(name, self._by_name)
            elif spec.read_only:
                errors[name] = "is read-only"
            elif unsafe is not None:
                # An escape sequence sent to the vendor would reach every other client of the CRM.
                errors[name] = (
                    f"holds a control character ({unsafe[1]} at position {unsafe[0] + 1}); "
                    "crmtui does not send those to the vendor"
                )
            else:
                slots[self._slot[name]] = value
        from pydantic import ValidationError

        try:
            parsed = self._model(**slots).model_dump(exclude_unset=True)
        except ValidationError as exc:
            parsed = {}
            names = {slot: name for name, slot in self._slot.items()}
            for error in exc.errors():
                name = names.get(str(error["loc"][0]), str(error["loc"][0]))
                errors.setdefault(name, _clean(error["msg"]))
        typed = {self.fields[int(slot[1:])].name: value for slot, value in parsed.items()}
        for spec in self.fields:
            if not spec.required or spec.read_only or spec.name in errors:
                continue
            if spec.name in typed:
                missing = typed[spec.name] is None
            else:  # not given, or another field's error left nothing parsed: look at the input
                missing = _blank(values.get(spec.name))
            if missing and (creating or spec.name in values):
                errors[spec.name] = "is required"
        if errors:
            raise ValidationFailed(errors)
        return typed


def unknown_field_message(name: str, known: Mapping[str, object]) -> str:
    """'unknown field', with the closest known names when there are any."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if not close:
        lowered = {k.lower(): k for k in known}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"unknown field{hint}"


def _clean(message: str) -> str:
    return message.removeprefix("Value error, ")
