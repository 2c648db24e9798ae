"""`crmtui profiles list | show | validate | add`: inspect and extend the profile file."""

from __future__ import annotations

import argparse
import sys
import typing
from pathlib import Path
from typing import Any

from crmtui.errors import UsageError
from crmtui.model.sanitize import inert
from crmtui.profiles.loader import get_profile, load_config, validate_config
from crmtui.profiles.locations import config_path
from crmtui.profiles.model import MODES, PROFILE_CLASSES, VENDORS, Config, ProfileBase
from crmtui.profiles.secrets import masked
from crmtui.profiles.writer import add_profile, render


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `profiles` command and its subcommands to the main parser's subparsers."""
    parser = sub.add_parser(
        "profiles",
        help="list, show, validate and add connection profiles",
        description="Manage the TOML profile file (--config, $CRMTUI_CONFIG or the default).",
    )
    actions = parser.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="list the profiles; * marks the default")
    show = actions.add_parser("show", help="show one profile with its secrets masked")
    show.add_argument("name", nargs="?", help="the profile (default: --profile or the default)")
    validate = actions.add_parser(
        "validate", help="print every problem in the file (exit 2 if any)"
    )
    validate.add_argument(
        "--resolve", action="store_true", help="also run command and keyring secret references"
    )
    add = actions.add_parser("add", help="add a profile (secrets as references)")
    add.add_argument("name", help="the new profile's name")
    add.add_argument("--vendor", required=True, choices=VENDORS)
    add.add_argument("--base-url", required=True, help="the API's base URL (https)")
    default_mode = ProfileBase.model_fields["mode"].default
    add.add_argument("--mode", choices=MODES, help=f"{', '.join(MODES)} (default {default_mode})")
    add.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="values")
    add.add_argument(
        "--secret-env", action="append", default=[], metavar="KEY=VAR", help="key = { env = VAR }"
    )
    add.add_argument(
        "--secret-command",
        action="append",
        default=[],
        metavar="KEY=CMD",
        help="key = { command = CMD }",
    )
    add.add_argument(
        "--secret-keyring",
        action="append",
        default=[],
        metavar="KEY=SERVICE/USER",
        help="key = { keyring = SERVICE/USER } (needs the keyring extra)",
    )
    add.add_argument("--default", action="store_true", help="make it the default profile")
    add.add_argument("--overwrite", action="store_true", help="replace a profile of that name")
    add.add_argument(
        "--literal", action="store_true", help="allow literal secrets in --set (stored in the file)"
    )
    parser.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    """Run `crmtui profiles ACTION`; returns the exit code, raises CrmError on failure."""
    path = config_path(getattr(args, "config", None))
    action = args.profiles_command
    if action == "list":
        return _list(load_config(path, missing_ok=True))
    if action == "show":
        return _show(load_config(path), args.name or getattr(args, "profile", None))
    if action == "validate":
        return _validate(path, args.resolve)
    if action == "add":
        return _add(path, args)
    raise UsageError(f"unknown action: {action}")


def _warn(config: Config) -> None:
    for warning in config.warnings:
        print(warning, file=sys.stderr)


def _list(config: Config) -> int:
    _warn(config)
    if not config.profiles:
        print(f"no profiles in {config.path}")
        return 0
    width = max(len(name) for name in config.profiles)
    for name, profile in config.profiles.items():
        mark = "*" if name == config.default_profile else " "
        extras = [profile.label or "", "PRODUCTION" if profile.production else ""]
        line = (
            f"{mark} {name:<{width}}  {profile.vendor:<14}  {profile.mode:<14}  {profile.base_url}"
        )
        line += "".join(f"  {extra}" for extra in extras if extra)
        print(inert(line))
    return 0


def _show(config: Config, name: str | None) -> int:
    _warn(config)
    profile = get_profile(config, name)
    if profile.name == config.default_profile:
        print("# the default profile")
    print(inert(render({"profiles": {profile.name: masked(profile)}}), keep_newlines=True), end="")
    return 0


def _validate(path: Path, resolve_secrets: bool) -> int:
    problems = validate_config(path, resolve_secrets=resolve_secrets)
    for problem in problems:
        print(inert(str(problem)))
    if problems:
        return 2
    print(f"{path}: no problems found")
    return 0


def _pairs(option: str, items: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{option} expects KEY=VALUE, got {inert(item)!r}")
        pairs.append((key.strip(), value))
    return pairs


def _add(path: Path, args: argparse.Namespace) -> int:
    cls = PROFILE_CLASSES[args.vendor]
    secret_keys = set(cls.SECRET_KEYS) - cls.PLAIN_KEYS
    table: dict[str, Any] = {"vendor": args.vendor, "base_url": args.base_url}
    if args.mode:
        table["mode"] = args.mode
    given: list[tuple[str, str, Any]] = []
    for key, value in _pairs("--set", args.values):
        if key in secret_keys and not args.literal:
            raise UsageError(
                f"key {inert(key)!r} holds a secret: pass a reference with --secret-env "
                f"{inert(key)}=VAR or --secret-command {inert(key)}=CMD, or add --literal to "
                "store the value in the file"
            )
        field = cls.model_fields.get(key)
        if field is not None and typing.get_origin(field.annotation) is list:
            given.append(("--set", key, [v.strip() for v in value.split(",") if v.strip()]))
        else:
            given.append(("--set", key, value))
    references = (
        ("--secret-env", "env", args.secret_env),
        ("--secret-command", "command", args.secret_command),
        ("--secret-keyring", "keyring", args.secret_keyring),
    )
    for option, kind, items in references:
        given += [(option, key, {kind: ref}) for key, ref in _pairs(option, items)]
    for option, key, value in given:
        if key in table:
            raise UsageError(f"{option}: key {inert(key)!r} is given twice")
        table[key] = value
    backup = add_profile(
        path,
        args.name,
        table,
        make_default=args.default,
        overwrite=args.overwrite,
        literal=args.literal,
    )
    note = " as the default" if args.default else ""
    print(inert(f"added profile {args.name!r} to {path}{note}"))
    if backup is not None:
        print(
            f"note: comments are not kept; the previous file is saved as {backup}", file=sys.stderr
        )
    return 0
