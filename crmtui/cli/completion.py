"""Shell completion: `crmtui completion bash|zsh|fish` prints the script; the script asks the
hidden `crmtui __complete WORDS…` for candidates (commands, options, profiles, entities, fields).

`__complete` never uses the network: the command tree and the entities and fields it has seen
are kept in a small cache in the data dir; profiles come from the profile file; entities from
the vendor's own description (no call); fields from the cache, which `crmtui completion
refresh` fills (over the network, once) — or from the embedded demo with --demo.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crmtui import __version__
from crmtui.cli.completion_scripts import SCRIPTS

FILES = "::files"  # tells the shell script to complete file names itself
FIELD_DESTS = {"sort", "fields", "id_column", "set"}
FILE_DESTS = {"config", "file", "out", "output", "path", "dir", "directory"}


def add_parser(sub: Any) -> None:
    """`completion SHELL`, `completion refresh`, and the hidden `__complete`."""
    p = sub.add_parser(
        "completion",
        help='shell completion: eval "$(crmtui completion bash)" (or zsh, fish)',
        description=(
            "Print the completion script for a shell. Enable it with one line:\n"
            "  bash: echo 'eval \"$(crmtui completion bash)\"' >> ~/.bashrc\n"
            "  zsh:  echo 'eval \"$(crmtui completion zsh)\"' >> ~/.zshrc\n"
            "  fish: crmtui completion fish > ~/.config/fish/completions/crmtui.fish\n"
            "`crmtui completion refresh` reads the profile's entities and fields once, so "
            "that field names complete without a network call."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("shell", choices=(*SCRIPTS, "refresh"))
    p.set_defaults(func=_completion)
    hidden = sub.add_parser("__complete", add_help=False)
    hidden.add_argument("words", nargs=argparse.REMAINDER)
    hidden.set_defaults(func=lambda args: run_complete(args.words))
    # Not listed in `crmtui --help`: it is the scripts' business.
    sub._choices_actions = [a for a in sub._choices_actions if a.dest != "__complete"]


def _completion(args: argparse.Namespace) -> int:
    if args.shell == "refresh":
        from crmtui.cli.context import with_session

        return with_session(_refresh)(args)
    print(SCRIPTS[args.shell])
    return 0


# -- the cache ------------------------------------------------------------------------------------
def cache_path() -> Path:
    """The completion cache in the data dir."""
    from crmtui.profiles.locations import data_dir

    return data_dir() / "completion.json"


def load_cache() -> dict[str, Any]:
    """The cache, or an empty one (a damaged file is ignored)."""
    try:
        data = json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_cache(data: dict[str, Any]) -> None:
    """Write the cache (0600; a failure only costs speed)."""
    path = cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(tmp, path)
    except OSError:
        pass


def profile_key(profile: str | None, demo: bool) -> str:
    """How a profile is named in the cache."""
    return f"demo:{profile or ''}" if demo else f"profile:{profile or ''}"


# -- the command tree -----------------------------------------------------------------------------
def describe(parser: argparse.ArgumentParser) -> dict[str, Any]:
    """A parser as plain data: its options, positionals and subcommands."""
    node: dict[str, Any] = {"options": [], "positionals": [], "commands": {}}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                if not name.startswith("__"):
                    node["commands"][name] = describe(child)
        elif action.option_strings:
            node["options"].append(
                {
                    "flags": list(action.option_strings),
                    "value": action.nargs != 0,
                    "dest": action.dest,
                    "choices": [str(c) for c in action.choices or ()],
                }
            )
        else:
            node["positionals"].append(
                {
                    "dest": action.dest,
                    "many": action.nargs in ("*", "+", argparse.REMAINDER),
                    "metavar": str(action.metavar or ""),
                    "help": str(action.help or ""),
                    "choices": [str(c) for c in action.choices or ()],
                }
            )
    return node


def command_tree(cache: dict[str, Any]) -> dict[str, Any]:
    """The whole command line as data (built once per version, then read from the cache)."""
    tree = cache.get("tree")
    if isinstance(tree, dict) and cache.get("version") == __version__:
        return tree
    from crmtui.cli.main import build_parser

    tree = describe(build_parser())
    cache.update(tree=tree, version=__version__)
    save_cache(cache)
    return tree


# -- answering ------------------------------------------------------------------------------------
def run_complete(words: Sequence[str]) -> int:
    """Print the candidates for the last of `words` (the word being typed), one per line."""
    words = list(words)
    if words and words[0] == "--":
        words = words[1:]
    try:
        for candidate in complete(words or [""]):
            print(candidate)
    except Exception:  # completion must never spill a traceback into the prompt
        return 0
    return 0


def complete(words: list[str]) -> list[str]:
    """Candidates for `words[-1]`, given the words before it."""
    from crmtui.cli.completion_data import entities, fields, profiles

    cache = load_cache()
    node = command_tree(cache)
    current, before = words[-1], words[:-1]
    context: dict[str, Any] = {"profile": None, "config": None, "demo": False, "entity": None}
    options = list(node["options"])
    used = 0
    pending: dict[str, Any] | None = None
    for token in before:
        if pending is not None:
            if pending["dest"] in ("profile", "config"):
                context[pending["dest"]] = token
            pending = None
            continue
        if token.startswith("-"):
            found = _option(options, token.split("=", 1)[0])
            if found is not None and found["dest"] == "demo":
                context["demo"] = True
            if found is not None and found["value"] and "=" not in token:
                pending = found
            continue
        if token in node["commands"]:
            node = node["commands"][token]
            options = options + node["options"]
            used = 0
            continue
        positional = _positional(node, used)
        if positional is not None and positional["dest"] == "entity":
            context["entity"] = token
        used += 1
    if pending is not None:
        return _values(pending, current, context, cache)
    if current.startswith("-"):
        flags = sorted({f for o in options for f in o["flags"] if f.startswith("--")})
        return [f for f in flags if f.startswith(current)]
    if node["commands"]:
        return [c for c in node["commands"] if c.startswith(current)]
    positional = _positional(node, used)
    if positional is None:
        return []
    if positional["choices"]:
        return [c for c in positional["choices"] if c.startswith(current)]
    dest = positional["dest"]
    if dest == "entity":
        return [e for e in entities(context, cache) if e.startswith(current)]
    if "field=" in positional["metavar"] and "=" not in current:
        names = fields(context, cache)
        return [f"{n}=" for n in names if n.startswith(current)]
    if dest == "action":
        from crmtui.cli.completion_data import actions

        return [a for a in actions(context) if a.startswith(current)]
    hint = str(positional.get("help", ""))
    if dest == "name" and "profile" in hint and "new" not in hint:
        return [p for p in profiles(context) if p.startswith(current)]
    if dest in FILE_DESTS:
        return [FILES]
    return []


def _option(options: list[dict[str, Any]], flag: str) -> dict[str, Any] | None:
    return next((o for o in options if flag in o["flags"]), None)


def _positional(node: dict[str, Any], used: int) -> dict[str, Any] | None:
    positionals = node["positionals"]
    if not positionals:
        return None
    if used < len(positionals):
        return dict(positionals[used])
    last = positionals[-1]
    return dict(last) if last["many"] else None


def _values(
    option: dict[str, Any], current: str, context: dict[str, Any], cache: dict[str, Any]
) -> list[str]:
    from crmtui.cli.completion_data import fields, profiles

    dest = option["dest"]
    if option["choices"]:
        return [c for c in option["choices"] if c.startswith(current)]
    if dest == "profile":
        return [p for p in profiles(context) if p.startswith(current)]
    if dest in FIELD_DESTS:
        return [n for n in fields(context, cache) if n.startswith(current)]
    if dest in FILE_DESTS:
        return [FILES]
    return []


async def _refresh(session: Any, args: argparse.Namespace) -> int:
    """Read every entity's fields once and keep their names for completion."""
    backend = session.backend
    names = [e.name for e in await backend.entities()]
    found: dict[str, list[str]] = {}
    for name in names:
        try:
            found[name] = [f.name for f in await backend.fields(name)]
        except Exception as exc:  # one entity failing leaves the others useful
            print(f"{name}: fields not read ({type(exc).__name__})", file=sys.stderr)
    cache = load_cache()
    key = profile_key(session.profile.name, bool(getattr(args, "demo", False)))
    cache.setdefault("profiles", {})[key] = {"entities": names, "fields": found}
    if getattr(args, "profile", None) is None:  # also what a command without -p completes
        default = profile_key(None, bool(getattr(args, "demo", False)))
        cache["profiles"][default] = cache["profiles"][key]
    save_cache(cache)
    count = sum(len(v) for v in found.values())
    print(f"completion: {len(names)} entities and {count} field names kept for {key}")
    return 0
