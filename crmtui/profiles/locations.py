"""Every file location crmtui uses, in one place (config from platformdirs, env overrides)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "crmtui"
CONFIG_ENV = "CRMTUI_CONFIG"
DATA_ENV = "CRMTUI_DATA_DIR"
PROFILES_FILE = "profiles.toml"


def config_dir() -> Path:
    """The platform's user config dir for crmtui (themes and the default profile file live here)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def config_path(explicit: Path | None = None) -> Path:
    """The profile file: `explicit` (--config), else $CRMTUI_CONFIG, else the default one."""
    if explicit is not None:
        return Path(explicit).expanduser()
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return config_dir() / PROFILES_FILE


def data_dir() -> Path:
    """The dir for files crmtui owns: $CRMTUI_DATA_DIR, else the platform's user data dir.

    Created on demand with mode 0700, since journals and history may name records and profiles.
    """
    from_env = os.environ.get(DATA_ENV)
    path = (
        Path(from_env).expanduser()
        if from_env
        else platformdirs.user_data_path(APP_NAME, appauthor=False)
    )
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
    return path


def state_path(name: str) -> Path:
    """data_dir()/`name`, for a file crmtui owns (prefs, history, journal, jobs).

    `name` is a plain file name; a path that would leave the data dir is refused.
    """
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\0" in name:
        raise ValueError(f"not a plain file name: {name!r}")
    return data_dir() / name
