"""SharpSpring's error objects as the emulator builds them: API-level and object-level."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An API-level error: code, message and optional data."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        """Describe the error object."""
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def body(self) -> dict[str, Any]:
        """The `error` object of the response."""
        return {"code": self.code, "message": self.message, "data": self.data}


def bad_param(param: str, message: str, kind: str = "int") -> ApiError:
    """A 205 naming one parameter, in the vendor's detail shape."""
    detail = {"param": param, "message": message,
              "validFormat": {"type": kind, "length": 11, "required": False}}  # fmt: skip
    return ApiError(205, "Invalid parameters", {"params": [detail]})


def missing(param: str) -> ApiError:
    """A 206 naming the missing parameter."""
    return ApiError(206, "Missing parameters", {"params": [{"param": param}]})


def obj_error(code: int, message: str, data: Any = None) -> dict[str, Any]:
    return {"success": "false", "error": {"code": code, "message": message, "data": data or []}}


def field_error(name: str, why: str) -> dict[str, Any]:
    return obj_error(205, "Invalid parameters", {"params": [{"param": name, "message": why}]})


def int_param(params: dict[str, Any], name: str, default: int | None = None) -> int:
    value = params.get(name, default)
    if value is None:
        raise missing(name)
    if isinstance(value, bool) or not str(value).strip().isdigit():
        raise bad_param(name, "Expected data of type integer")
    return int(str(value).strip())
