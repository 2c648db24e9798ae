"""Read and check the profile file: one ConfigError (or a list of Problems) naming what is wrong."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from crmtui.errors import ConfigError
from crmtui.model.sanitize import inert
from crmtui.model.shape import Invalid
from crmtui.profiles.locations import config_path
from crmtui.profiles.model import TOML_KEYS, CommandRef, Config, KeyringRef, Profile, Profiles
from crmtui.profiles.problems import (
    Problem,
    config_error,
    from_errors,
    from_toml_error,
    locate,
    suggest,
)
from crmtui.profiles.secrets import resolve

_NOT_IN_FILE = ("path", "warnings")  # Config fields crmtui fills in, never read from the file


MAX_BYTES = 1024 * 1024
"""A profile file larger than this (1 MiB: thousands of profiles) is refused, not parsed."""
MAX_DEPTH = 16
"""Tables and arrays nested deeper than this are refused (a profile needs about 4)."""


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and parsed data; ConfigError naming the file (and line) if unreadable,
    too large or nested too deeply."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the profile file ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(
            f"{path}: the profile file is larger than {MAX_BYTES // 1024} KiB; that is not a "
            "profile file crmtui wrote or expects, so it is not read"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(from_toml_error(exc, path))) from None
    except RecursionError:
        data = None
    if data is None or _depth(data) > MAX_DEPTH:
        raise ConfigError(f"{path}: tables or arrays nested more than {MAX_DEPTH} levels deep")
    return text, data


def _depth(data: Any) -> int:
    """How deeply tables and arrays nest in `data` (counted without recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def check(
    path: Path, text: str, data: dict[str, Any], *, chosen: Iterable[str] | None = None
) -> tuple[Config | None, list[Problem]]:
    """Validate parsed file data: the Config if it is valid, and every problem found.

    Every profile is validated unless `chosen` names the ones to validate now; the others'
    vendor names are checked, and the rest of each when it is first read.
    """
    problems: list[Problem] = []
    data = dict(data)
    for key in _NOT_IN_FILE:
        if key in data:
            del data[key]
            line = locate(text, None, key)
            problems.append(
                Problem(path, "unknown key" + suggest(key, TOML_KEYS), key=key, line=line)
            )
    errors: list[dict[str, Any]] = []
    profiles = data.get("profiles")
    if isinstance(profiles, dict):
        prepared: dict[str, Any] = {}
        for name, table in profiles.items():
            if isinstance(table, dict):
                if "name" in table:
                    problems.append(
                        Problem(
                            path,
                            "not allowed here: a profile's name is its table name",
                            profile=name,
                            key="name",
                            line=locate(text, name, "name"),
                        )
                    )
                table = {**table, "name": name}
            prepared[name] = table
        data["profiles"] = Profiles(prepared)
        data["profiles"].source = (path, text)
        errors = data["profiles"].check(chosen)
        raw = {**data, "profiles": prepared}
    else:
        raw = data
    config: Config | None = None
    try:
        config = Config.model_validate(data)
    except Invalid as exc:
        errors = exc.errors() + errors
    if errors:
        problems.extend(from_errors(errors, path, raw, text))
        return None, problems
    assert config is not None
    default = config.default_profile
    if default is not None and default not in config.profiles:
        names = ", ".join(config.profiles) or "none"
        problems.append(
            Problem(
                path,
                f"no profile named {inert(default)!r}{suggest(default, config.profiles)}"
                f" (profiles: {inert(names)})",
                key="default_profile",
                line=locate(text, None, "default_profile"),
            )
        )
    config.path = path
    config.warnings = [str(p) for p in permission_problems(path, config)]
    return config, problems


def permission_problems(path: Path, config: Config) -> list[Problem]:
    """A warning if the file holds literal secrets and others may read it (POSIX only)."""
    if os.name != "posix" or not config.profiles:
        return []
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return []
    if not mode & 0o077:
        return []
    literal = [
        f"{profile.name}.{key}"
        for profile in _readable(config)
        for key, value in profile.secret_refs().items()
        if isinstance(value, str) and key not in profile.PLAIN_KEYS
    ]
    if not literal:
        return []
    return [
        Problem(
            path,
            f"holds literal secrets ({', '.join(inert(k) for k in literal)}) but is readable by "
            f"group or others (mode {mode:04o}): run `chmod 600 {path}`, or use "
            '{ env = "NAME" } / { command = "..." } references',
            severity="warning",
        )
    ]


def _readable(config: Config) -> Iterator[Profile]:
    """The profiles that validate (one with a problem is reported when it is opened)."""
    for name in config.profiles:
        try:
            yield config.profiles[name]
        except ConfigError:
            continue


def load_config(
    path: Path | None = None,
    *,
    missing_ok: bool = False,
    lazy: bool = False,
    profile: str | None = None,
) -> Config:
    """The profile file at `path` (or the default location), validated; raises ConfigError.

    With `missing_ok`, a file that does not exist reads as an empty Config. With `lazy`, only the
    profile `get_profile(config, profile)` picks is validated now (only its vendor's model is
    imported); the others' vendor names are checked, the rest of each when it is first read.
    """
    path = config_path(path)
    if not path.exists():
        if missing_ok:
            return Config(path=path)
        raise ConfigError(
            f"no profile file at {path}; create one with `crmtui profiles add NAME --vendor VENDOR "
            "--base-url URL ...`, or pass --config PATH (or set CRMTUI_CONFIG)"
        )
    text, data = read_toml(path)
    chosen = _chosen(data, profile) if lazy else None
    config, problems = check(path, text, data, chosen=chosen)
    if config is None or any(p.severity == "error" for p in problems):
        raise config_error(problems, path)
    return config


def _chosen(data: dict[str, Any], name: str | None) -> list[str]:
    """The profile `get_profile(config, name)` will pick from the file's data (none if unclear)."""
    profiles = data.get("profiles")
    if not isinstance(profiles, dict):
        return []
    default = data.get("default_profile")
    pick = name if name is not None else default if isinstance(default, str) else None
    if pick is None and len(profiles) == 1:
        pick = next(iter(profiles))
    return [pick] if pick is not None and pick in profiles else []


def get_profile(config: Config, name: str | None = None) -> Profile:
    """The profile `name`, else the default one, else the only one; ConfigError listing names."""
    if name is not None:
        if name in config.profiles:
            return config.profiles[name]
        raise ConfigError(
            f"no profile named {inert(name)!r} in {config.path}{suggest(name, config.profiles)}"
            f" (profiles: {_names(config)})"
        )
    if config.default_profile is not None and config.default_profile in config.profiles:
        return config.profiles[config.default_profile]
    if len(config.profiles) == 1:
        return next(iter(config.profiles.values()))
    if not config.profiles:
        raise ConfigError(
            f"no profiles in {config.path}; add one with `crmtui profiles add NAME ...`"
        )
    raise ConfigError(
        f"several profiles in {config.path} and no default_profile: pass --profile NAME "
        f"(one of {_names(config)}) or set default_profile"
    )


def _names(config: Config) -> str:
    """The profile names, for a message (listing them may read the demo's installed vendors)."""
    return ", ".join(inert(n) for n in config.profiles) or "none"


def validate_config(path: Path | None = None, *, resolve_secrets: bool = False) -> list[Problem]:
    """Every problem in the profile file at once, warnings included (for `profiles validate`).

    Environment references are always checked; commands and keyrings run only with
    `resolve_secrets`, since they may prompt or take time.
    """
    path = config_path(path)
    if not path.exists():
        return [Problem(path, "no such file")]
    try:
        text, data = read_toml(path)
    except ConfigError as exc:
        return [Problem(None, exc.message)]
    config, problems = check(path, text, data)
    if config is None:
        return problems
    problems.extend(permission_problems(path, config))
    for profile in config.profiles.values():
        for key, ref in profile.secret_refs().items():
            if isinstance(ref, str) or (
                isinstance(ref, CommandRef | KeyringRef) and not resolve_secrets
            ):
                continue
            where = f"profile {profile.name!r}, key {key!r}"
            try:
                resolve(ref, where=where)
            except ConfigError as exc:
                message = exc.message.removeprefix(f"{where}: ")
                line = locate(text, profile.name, key)
                problems.append(Problem(path, message, profile=profile.name, key=key, line=line))
    return problems
