"""Themes: Textual themes read from TOML files (the shipped themes/ folder and the user's)."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual.app import App
from textual.color import Color, ColorParseError
from textual.theme import Theme

log = logging.getLogger(__name__)

COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
NUMBER_KEYS = ("luminosity_spread", "text_alpha")
FLAG_KEYS = ("dark", "ansi")
KNOWN_KEYS = frozenset({"name", "variables", *COLOUR_KEYS, *NUMBER_KEYS, *FLAG_KEYS})
DEFAULT_THEME = "crmtui-dark"


class ThemeFileError(ValueError):
    """A theme file that cannot become a theme; the message names what is wrong."""


def shipped_theme_dirs() -> list[Path]:
    """The shipped theme folders that exist: the repo's top-level themes/ or the wheel's copy."""
    here = Path(__file__).resolve()
    candidates = [
        here.parents[1] / "_themes",  # in a wheel: force-included as crmtui/_themes
        here.parents[2] / "themes",  # in a source checkout or editable install
    ]
    return [path for path in candidates if path.is_dir()]


def user_theme_dir() -> Path | None:
    """`<config dir>/themes`, where users put their own themes (None if it cannot be found)."""
    try:
        from crmtui.profiles import locations
    except ImportError:  # the profiles layer is optional for the loader
        return None
    return Path(locations.config_dir()) / "themes"


def parse_theme(data: dict[str, Any]) -> Theme:
    """A Theme from the table of a theme file, or ThemeFileError saying which key is wrong."""
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ThemeFileError(f"unknown key(s): {', '.join(unknown)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError("'name' must be a non-empty string")
    if "primary" not in data:
        raise ThemeFileError("'primary' is required")
    kwargs: dict[str, Any] = {"name": name.strip()}
    for key in COLOUR_KEYS:
        if key in data:
            value = data[key]
            if not isinstance(value, str):
                raise ThemeFileError(f"{key!r} must be a colour string")
            try:
                Color.parse(value)
            except ColorParseError:
                raise ThemeFileError(f"{key!r}: {value!r} is not a colour") from None
            kwargs[key] = value
    for key in FLAG_KEYS:
        if key in data:
            if not isinstance(data[key], bool):
                raise ThemeFileError(f"{key!r} must be true or false")
            kwargs[key] = data[key]
    for key in NUMBER_KEYS:
        if key in data:
            if not isinstance(data[key], int | float) or isinstance(data[key], bool):
                raise ThemeFileError(f"{key!r} must be a number")
            kwargs[key] = float(data[key])
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise ThemeFileError("'variables' must be a table of strings")
    kwargs["variables"] = dict(variables)
    theme = Theme(**kwargs)
    try:
        theme.to_color_system().generate()
    except Exception as exc:  # any failure to build its colours makes the theme unusable
        raise ThemeFileError(f"cannot build its colours: {exc}") from None
    return theme


def read_theme_file(path: Path) -> Theme:
    """The theme in one TOML file, or ThemeFileError (bad TOML, bad key, bad colour)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeFileError(f"cannot read it: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThemeFileError(f"not valid TOML: {exc}") from None
    return parse_theme(data)


def load_themes(
    extra_dirs: Sequence[Path] = (), *, warnings: list[str] | None = None
) -> list[Theme]:
    """Themes from the shipped folder, the user's config dir, then `extra_dirs`.

    A later theme with the same name replaces an earlier one. A bad file is skipped: its warning
    is logged and, when `warnings` is given, appended to it.
    """
    dirs = shipped_theme_dirs()[:1]
    user_dir = user_theme_dir()
    if user_dir is not None:
        dirs.append(user_dir)
    dirs.extend(Path(d) for d in extra_dirs)
    themes: dict[str, Theme] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = read_theme_file(path)
            except ThemeFileError as exc:
                message = f"theme file {path} skipped: {exc}"
                log.warning("%s", message)
                if warnings is not None:
                    warnings.append(message)
                continue
            themes[theme.name] = theme
    return list(themes.values())


def register_themes(app: App[Any], extra_dirs: Sequence[Path] = ()) -> list[str]:
    """Register every loadable theme with `app`; returns the warnings about skipped files."""
    warnings: list[str] = []
    for theme in load_themes(extra_dirs, warnings=warnings):
        app.register_theme(theme)
    return warnings
