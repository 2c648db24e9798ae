"""Key rebinding: a `[keymap]` table (binding id -> keys) checked and applied with set_keymap.

`preset = "vim"` in the table starts from a preset (j/k up and down, g/G first and last, : to
go to an id); the table's own entries win over the preset's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

# Terminals send ctrl+h as backspace, and ctrl+h/j/k/l move between tmux panes.
RESERVED_KEYS = frozenset({"ctrl+h", "ctrl+j", "ctrl+k", "ctrl+l"})
PRESET_KEY = "preset"
PRESETS: dict[str, dict[str, str]] = {
    "default": {},
    "vim": {
        "list.down": "down,j",
        "list.up": "up,k",
        "list.first": "home,g",
        "list.last": "end,G",
        "main.jump": "colon",
        "detail.down": "down,j",
        "detail.up": "up,k",
        "detail.first": "home,g",
        "detail.last": "end,G",
    },
}


def binding_ids(classes: Iterable[type[DOMNode]]) -> dict[str, str]:
    """Every binding id declared by `classes` (and their bases), with its default keys."""
    ids: dict[str, str] = {}
    for cls in classes:
        for klass in cls.__mro__:
            for binding in getattr(klass, "BINDINGS", ()) or ():
                if isinstance(binding, Binding) and binding.id:
                    ids.setdefault(binding.id, binding.key)
    return ids


def check_keymap(
    table: Mapping[str, Any], known: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The usable part of a `[keymap]` table, and a warning for each entry that is not."""
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    table = dict(table)
    preset = table.pop(PRESET_KEY, None)
    if preset is not None:
        if isinstance(preset, str) and preset in PRESETS:
            table = {**PRESETS[preset], **table}
        else:
            names = ", ".join(repr(name) for name in PRESETS)
            warnings.append(f"keymap: preset {preset!r} is unknown; the presets are {names}")
    for binding_id, keys in table.items():
        if binding_id not in known:
            warnings.append(f"keymap: unknown binding id {binding_id!r}")
            continue
        if not isinstance(keys, str) or not keys.strip():
            warnings.append(f'keymap: {binding_id!r} needs keys such as "ctrl+s" or "f,g"')
            continue
        cleaned = [k.strip() for k in keys.split(",") if k.strip()]
        reserved = [k for k in cleaned if k.lower() in RESERVED_KEYS]
        if reserved:
            warnings.append(
                f"keymap: {binding_id!r}: {', '.join(reserved)} cannot be used "
                "(terminals and tmux take ctrl+h/j/k/l)"
            )
            cleaned = [k for k in cleaned if k.lower() not in RESERVED_KEYS]
        if cleaned:
            keymap[binding_id] = ",".join(cleaned)
    return keymap, warnings


def apply_keymap(
    app: App[Any], table: Mapping[str, Any], classes: Iterable[type[DOMNode]]
) -> list[str]:
    """Apply the usable entries of `table` to `app`; returns the warnings."""
    keymap, warnings = check_keymap(table, binding_ids(classes))
    app.set_keymap(keymap)
    return warnings
