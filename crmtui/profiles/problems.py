"""Problems in a profile file, in words a user can act on (file, line, profile, key, suggestion)."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from crmtui.backends import registry
from crmtui.errors import ConfigError
from crmtui.model.sanitize import inert
from crmtui.profiles.model import REF_KINDS, TOML_KEYS

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a profile file; `str()` gives the full sentence."""

    path: Path | None
    message: str
    profile: str | None = None
    key: str | None = None
    line: int | None = None
    column: int | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = "" if self.path is None else str(self.path)
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        subject = []
        if self.profile is not None:
            subject.append(f"profile {inert(self.profile)!r}")
        if self.key is not None:
            subject.append(f"key {inert(self.key)!r}")
        text = ", ".join(subject)
        text = f"{text}: {self.message}" if text else self.message
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{text}" if where else f"{prefix}{text}"


def config_error(problems: Sequence[Problem], path: Path | None) -> ConfigError:
    """One ConfigError holding every error among `problems` (warnings are left out)."""
    errors = [p for p in problems if p.severity == "error"]
    if len(errors) == 1:
        return ConfigError(str(errors[0]))
    lines = "\n".join(f"  {p}" for p in errors)
    return ConfigError(f"{len(errors)} problems in {path}:\n{lines}")


def suggest(word: str, choices: Iterable[str]) -> str:
    """ "; did you mean 'x'?" for a close match among `choices`, else ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def from_toml_error(exc: ValueError, path: Path) -> Problem:
    """A Problem for malformed TOML, with tomllib's line and column."""
    text = str(exc)
    match = _TOML_POSITION.search(text)
    if match is None:
        return Problem(path, f"not valid TOML: {text}")
    message = text[: match.start()]
    return Problem(path, f"not valid TOML: {message}", line=int(match[1]), column=int(match[2]))


def _fields(model: type[Any]) -> list[str]:
    return [name for name in model.model_fields if name != "name"]


def _at(data: Any, loc: Sequence[str | int]) -> Any:
    """The raw value at a loc path in the file's data, or None."""
    for part in loc:
        if isinstance(data, Mapping) and part in data:
            data = data[part]
        else:
            return None
    return data


def _vendors() -> str:
    return ", ".join(sorted(registry.names()))


def from_errors(
    errors: Sequence[Mapping[str, Any]], path: Path | None, data: Mapping[str, Any], text: str = ""
) -> list[Problem]:
    """Errors shaped as pydantic's (type, loc, msg, ctx; see `crmtui.model.shape.Invalid`) as
    Problems, sorted by line; never echoes an input value (it may be a secret)."""
    problems = []
    for error in errors:
        loc = [
            part for part in error["loc"] if not (isinstance(part, str) and part.startswith("ref:"))
        ]
        kind = error["type"]
        profile: str | None = None
        raw_loc: list[str | int] = list(loc)
        choices: list[str] = list(TOML_KEYS)
        if len(loc) >= 2 and loc[0] == "profiles":
            profile = str(loc[1])
            rest = loc[2:]
            if rest and rest[0] in registry.names():
                choices = _fields(registry.profile_class(str(rest[0])))
                rest = rest[1:]
                raw_loc = ["profiles", profile, *rest]
            keys = [str(part) for part in rest]
        else:
            keys = [str(part) for part in loc]
        key = ".".join(keys) or None
        if len(keys) > 1:
            choices = list(REF_KINDS)
        message = error["msg"].removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        if kind in {"dict_type", "model_type", "model_attributes_type"}:
            message = "expected a table"
        elif kind == "extra_forbidden":
            message = "unknown key" + suggest(keys[-1], choices)
        elif kind == "missing":
            message = "missing (this key is required)"
        elif kind == "union_tag_invalid":
            tag = str(error.get("ctx", {}).get("tag", ""))
            message = f"unknown vendor {inert(tag)!r}; valid vendors: {_vendors()}"
            failed = registry.broken().get(tag)
            if failed is not None:  # an installed vendor package that did not load
                message = f"vendor {inert(tag)!r} failed to load ({inert(failed)[:200]}); {message}"
            key = "vendor"
        elif kind == "union_tag_not_found":
            raw = _at(data, raw_loc)
            found = difflib.get_close_matches("vendor", list(raw), n=1) if raw else []
            near = f"; found {inert(str(found[0]))!r}, did you mean 'vendor'?" if found else ""
            message = f"missing (one of {_vendors()}){near}"
            key = "vendor"
        elif kind == "secret_value":
            raw = _at(data, raw_loc)
            if isinstance(raw, Mapping):
                hints = [suggest(str(name), REF_KINDS) for name in raw if name not in REF_KINDS]
                message += "".join(hint for hint in hints if hint)
        line = locate(text, profile, key) if text else None
        problems.append(Problem(path, message, profile=profile, key=key, line=line))
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")


def _header_parts(header: str) -> list[str]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', header)
    return [next(p for p in groups if p) if any(groups) else "" for groups in parts]


def locate(text: str, profile: str | None, key: str | None) -> int | None:
    """The 1-based line where `key` (of `profile`, or top-level) is set, or the profile's header.

    The text is indexed once (see `_index`), so locating thousands of problems stays linear.
    """
    headers, keys = _index(text)
    want = ("profiles", profile) if profile is not None else ()
    first = key.split(".")[0] if key else None
    found = [
        line
        for line in (
            keys.get((want, first)) if first is not None else None,
            headers.get((*want, first)) if want and first is not None else None,
        )
        if line is not None
    ]
    if found:
        return min(found)
    return headers.get(want) if want else None


_KEY = re.compile(r"""^\s*(?:"([^"]*)"|([A-Za-z0-9_-]+))\s*[=.]""")


@functools.lru_cache(maxsize=4)
def _index(
    text: str,
) -> tuple[dict[tuple[str, ...], int], dict[tuple[tuple[str, ...], str], int]]:
    """One pass over `text`: the first line of each table header, and of each key per table
    (top-level keys under the empty table)."""
    headers: dict[tuple[str, ...], int] = {}
    keys: dict[tuple[tuple[str, ...], str], int] = {}
    section: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            section = tuple(_header_parts(header[1]))
            headers.setdefault(section, number)
            continue
        match = _KEY.match(line)
        if match:
            keys.setdefault((section, match[1] if match[1] is not None else match[2]), number)
    return headers, keys
