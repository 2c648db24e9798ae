"""The `crmtui` command: headless subcommands, or the TUI when none is given."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crmtui import __version__
from crmtui.cli.errors import mask, report_error
from crmtui.errors import CrmError

COMMAND_MODULES = (
    "crmtui.cli.records",
    "crmtui.cli.profiles_cmd",
    "crmtui.cli.sandbox_cmd",
    "crmtui.cli.upsert",
    "crmtui.cli.edit_cmd",
    "crmtui.cli.call",
    "crmtui.cli.jobs",
    "crmtui.cli.watch",
    "crmtui.cli.outbox",
    "crmtui.cli.bulk",
    "crmtui.cli.mirror",
    "crmtui.cli.completion",
    "crmtui.cli.vendors_cmd",
    "crmtui.cli.find",
    "crmtui.cli.copy",
)


def common_options() -> argparse.ArgumentParser:
    """--profile, --config and --demo, accepted before or after any subcommand."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "-p", "--profile", default=argparse.SUPPRESS, help="profile name (default: the default)"
    )
    parent.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="profiles TOML file")
    parent.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the embedded sandboxes instead of a profile file",
    )
    parent.add_argument(
        "--low-bandwidth",
        action="store_true",
        default=argparse.SUPPRESS,
        help="slow link: no animations, fewer frames (also a profile setting)",
    )
    return parent


class _CommonSubParsers(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommand parsers that all accept the common options, at any depth."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        parents = list(kwargs.pop("parents", None) or [])
        parser: argparse.ArgumentParser = super().add_parser(
            name, parents=[COMMON, *parents], **kwargs
        )
        return parser


class CrmParser(argparse.ArgumentParser):
    """An ArgumentParser whose subcommands inherit --profile, --config and --demo."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.register("action", "parsers", _CommonSubParsers)


COMMON = common_options()


def names_command(argv: Sequence[str]) -> bool:
    """Whether `argv` names a subcommand or asks for help (else it starts the TUI)."""
    values = iter(argv)
    for token in values:
        if token in ("-p", "--profile", "--config"):
            next(values, None)
        elif token in ("-h", "--help") or not token.startswith("-"):
            return True
    return False


def command_word(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` names (its first word that is not an option), if any."""
    values = iter(argv)
    for token in values:
        if token in ("-p", "--profile", "--config"):
            next(values, None)
        elif not token.startswith("-"):
            return token
    return None


def build_parser(commands: bool = True, command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; each command module adds its own subcommands.

    Without `commands` the command modules are not imported: starting the TUI stays quick.
    With `command`, the module of that name alone (`crmtui.cli.<command>`), when it adds that
    command: a command does not wait for every other command's imports.
    """
    if command is not None and f"crmtui.cli.{command}" in COMMAND_MODULES:
        parser = _parser((f"crmtui.cli.{command}",))
        if command in _commands(parser):
            return parser
    return _parser(COMMAND_MODULES if commands else ())


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    """The subcommands `parser` knows."""
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def _parser(modules: Sequence[str]) -> argparse.ArgumentParser:
    import importlib

    parser = CrmParser(
        prog="crmtui",
        description="Browse and edit your CRM from the terminal.",
        parents=[COMMON],
    )
    parser.add_argument("--version", action="version", version=f"crmtui {__version__}")
    parser.add_argument(
        "--reset", action="store_true", help="with --demo: reseed the demo sandboxes"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command module not written yet
            if exc.name != name:
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Run as the program (no `argv`), the objects still alive are set aside from the garbage
    collector once the command is done: the process ends next, and its last collection would
    walk all of them (a tenth of a second) only to free memory the exit frees anyway. The
    command has closed its files, connections and mirror by then.
    """
    code = _main(list(sys.argv[1:] if argv is None else argv))
    if argv is None:
        gc.freeze()
    return code


def _main(words: list[str]) -> int:
    if words[:1] == ["__complete"]:  # shell completion: answer at once, no parser to build
        from crmtui.cli.completion import run_complete

        return run_complete(words[1:])
    if names_command(words):
        parser = build_parser(command=command_word(words))
    else:
        parser = build_parser(commands=False)
    args = parser.parse_args(words)
    for name, default in (
        ("profile", None),
        ("config", None),
        ("demo", False),
        ("low_bandwidth", False),
    ):
        if not hasattr(args, name):
            setattr(args, name, default)
    func = getattr(args, "func", None)
    if func is None or args.command in FULL_SCREEN:
        return _run(args, func)
    with guarded_output():
        return _run(args, func)


# Commands that hand the terminal to the TUI (which draws with escapes of its own).
FULL_SCREEN = frozenset({"edit", "open"})


@contextmanager
def guarded_output() -> Iterator[None]:
    """Everything a command prints goes through `TerminalGuard`: no escape reaches the terminal."""
    from crmtui.model.sanitize import TerminalGuard

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalGuard(saved[0]), TerminalGuard(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _import_launch() -> Callable[[argparse.Namespace], int]:
    """`crmtui.ui.launch.run`, imported with the cycle collector paused (as `run` then keeps it).

    The import loads the profile models and what they stand on: objects that all stay, over
    which a collection would find nothing to free (with pydantic there, it ran about fifty times:
    20-35 ms of the start-up).
    """
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        from crmtui.ui.launch import run
    finally:
        if collecting:
            gc.enable()
    return run


def _run(args: argparse.Namespace, func: Any) -> int:
    try:
        if func is None:
            run = _import_launch()
            code: int = run(args)
            return code
        result: int = func(args)
        return result
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except BaseException as exc:
        if isinstance(exc, SystemExit):
            raise
        if isinstance(exc, OSError) and exc.filename is not None:
            # A local file or folder crmtui could not use (read-only, full, missing): not a bug.
            from crmtui.errors import StorageError

            message = f"cannot use {exc.filename}: {exc.strerror or exc}"
            return report_error(StorageError(message))
        if not isinstance(exc, CrmError):  # a bug: short message + redacted crash file (0600)
            from crmtui.services.crash import crash_message

            print(mask(crash_message(exc, mask)), file=sys.stderr)
            return 70
        return report_error(exc)


if __name__ == "__main__":
    raise SystemExit(main())
