"""Add a profile to the profile file: validated, atomic, mode 0600, never a resolved secret."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w

from crmtui.errors import ConfigError
from crmtui.files import write_atomic
from crmtui.model.sanitize import inert
from crmtui.model.shape import Model
from crmtui.profiles.loader import check, read_toml
from crmtui.profiles.model import TOML_KEYS, ProfileBase
from crmtui.profiles.problems import config_error
from crmtui.profiles.secrets import was_resolved

HEADER = "# crmtui profiles (rewritten by `crmtui profiles add`; comments are not kept)\n\n"
_COMMENT = re.compile(r"^\s*#", re.MULTILINE)


def add_profile(
    path: Path,
    name: str,
    table: Mapping[str, Any],
    *,
    make_default: bool = False,
    overwrite: bool = False,
    literal: bool = False,
) -> Path | None:
    """Add (or with `overwrite`, replace) profile `name` built from `table` in the file at `path`.

    Other profiles and settings are kept as they are. The new profile is validated first; a
    literal secret equal to a value resolved from a reference (or to an environment variable) is
    refused unless `literal`. The file is written atomically with mode 0600. tomli-w cannot keep
    comments: if the old file had some, it is kept next to it as `<name>.bak` (mode 0600), and
    that path is returned; otherwise None.
    """
    path = Path(path).expanduser()
    if path.is_symlink():
        path = path.resolve()  # write through a dotfiles symlink, do not replace it
    text, doc = read_toml(path) if path.exists() else ("", {})
    profiles = doc.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: 'profiles' is not a table; fix the file first")
    if name in profiles and not overwrite:
        raise ConfigError(
            f"{path}: profile {inert(name)!r} already exists (use --overwrite to replace it)"
        )
    profile = _validated(path, name, _plain(table))
    entry = profile.model_dump(mode="json", exclude_unset=True, exclude={"name"})
    if not literal:
        _refuse_resolved(profile, entry)

    merged = {**doc, "profiles": {**profiles, name: entry}}
    if make_default:
        merged["default_profile"] = name
    # Top-level keys first, in the documented order; tables (profiles) last.
    new_doc = {key: merged[key] for key in TOML_KEYS if key in merged}
    new_doc.update({key: value for key, value in merged.items() if key not in TOML_KEYS})
    _, problems = check(path, "", new_doc)
    relevant = [p for p in problems if p.profile in (None, name) and p.severity == "error"]
    if relevant:
        raise config_error(relevant, path)

    backup = None
    if _COMMENT.search(text.replace(HEADER.strip(), "")):
        backup = path.with_name(path.name + ".bak")
        atomic_write(backup, text)
    atomic_write(path, HEADER + render(new_doc))
    return backup


def render(doc: Mapping[str, Any]) -> str:
    """`doc` as TOML, one `[profiles.NAME]` table each with secret references written inline."""
    rest = {key: value for key, value in doc.items() if key != "profiles"}
    chunks = [tomli_w.dumps(rest)] if rest else []
    for name, table in doc.get("profiles", {}).items():
        lines = [f"[profiles.{_key(name)}]"]
        lines += [f"{_key(key)} = {_value(value)}" for key, value in table.items()]
        chunks.append("\n".join(lines) + "\n")
    text = "\n".join(chunks)
    try:
        same = tomllib.loads(text) == doc
    except tomllib.TOMLDecodeError:
        same = False
    return text if same else tomli_w.dumps(doc)  # odd shapes: tomli-w's own layout


def _key(key: str) -> str:
    """A TOML key, quoted if it needs to be."""
    return tomli_w.dumps({key: 0}).rsplit(" = ", 1)[0]


def _value(value: Any) -> str:
    """A TOML value on one line, tables inline (`{ env = "NAME" }`)."""
    if isinstance(value, Mapping):
        items = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return f"{{ {items} }}" if items else "{}"
    return tomli_w.dumps({"v": value}).removeprefix("v = ").rstrip("\n")


def _plain(table: Mapping[str, Any]) -> dict[str, Any]:
    """`table` with secret reference models turned into TOML tables."""
    return {
        key: value.model_dump() if isinstance(value, Model) else value
        for key, value in table.items()
    }


def _validated(path: Path, name: str, table: dict[str, Any]) -> ProfileBase:
    """The profile `table` describes, or ConfigError naming every problem in it."""
    config, problems = check(path, "", {"profiles": {name: table}})
    if problems or config is None:
        raise config_error(problems, path)
    return config.profiles[name]


def _refuse_resolved(profile: ProfileBase, entry: Mapping[str, Any]) -> None:
    """ConfigError if a literal secret looks like one crmtui resolved or the environment holds."""
    for key in profile.SECRET_KEYS:
        value = entry.get(key)
        if not isinstance(value, str) or key in profile.PLAIN_KEYS or not value:
            continue
        where = f"profile {inert(profile.name)!r}, key {key!r}"
        if was_resolved(value):
            raise ConfigError(
                f"{where}: this value was resolved from a secret reference; write the reference "
                "instead (or insist with --literal)"
            )
        same = sorted(var for var, env in os.environ.items() if env == value)
        if same and len(value) >= 4:
            raise ConfigError(
                f"{where}: this value equals environment variable {inert(same[0])}; write "
                f'{{ env = "{inert(same[0])}" }} instead (or insist with --literal)'
            )


def atomic_write(path: Path, text: str, mode: int = 0o600) -> None:
    """Write `text` to `path` atomically (temp file, fsync, rename) with `mode`; ConfigError."""
    try:
        write_atomic(path, text, mode=mode)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write ({exc.strerror})") from None
