"""`crmtui` with no subcommand: build the app from the command line's options and run it."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from crmtui.errors import ConfigError
from crmtui.profiles import lazy
from crmtui.profiles.model import Config

if TYPE_CHECKING:  # Textual is imported only once the terminal settings are in the environment
    from crmtui.ui.app import CrmApp, StartAt
    from crmtui.ui.prefs import Prefs

ESCAPE_DELAY_MS = 25
"""Textual waits this long after a lone ESC for the rest of a key sequence (its default is 100)."""
LOW_BANDWIDTH_FPS = 10
"""Frames per second on a slow link: a held key sends a few frames, not one per repeat."""
GC_PAUSE_S = 3.0
"""Seconds after the app starts before the cycle collector runs again (see `run`)."""


def terminal_environment(
    low_bandwidth: bool, environ: MutableMapping[str, str] | None = None
) -> dict[str, str]:
    """Set Textual's terminal settings in `environ` unless the user has; returns what was set.

    Textual reads them when it is first imported, so this runs before the app module is loaded.
    """
    env = os.environ if environ is None else environ
    wanted = {"ESCDELAY": str(ESCAPE_DELAY_MS)}
    if low_bandwidth:
        wanted |= {
            "TEXTUAL_FPS": str(LOW_BANDWIDTH_FPS),
            "TEXTUAL_ANIMATIONS": "none",
            "TEXTUAL_SMOOTH_SCROLL": "0",
        }
    applied = {key: value for key, value in wanted.items() if key not in env}
    env.update(applied)
    return applied


def wants_low_bandwidth(args: argparse.Namespace, config: Config | None) -> bool:
    """`--low-bandwidth`, or the chosen profile's `low_bandwidth` setting."""
    if getattr(args, "low_bandwidth", False):
        return True
    if config is None:
        return False
    from crmtui.profiles.loader import get_profile

    try:
        return bool(get_profile(config, getattr(args, "profile", None)).low_bandwidth)
    except ConfigError:
        return False


def app_for_config(
    config: Config,
    profile: str | None,
    prefs: Prefs,
    transports: Mapping[str, object] | None = None,
    **options: Any,
) -> CrmApp:
    """An app over `config`'s profiles, opening `profile` (or the default); problems on screen."""
    from crmtui.profiles.loader import get_profile
    from crmtui.services.session import Session, open_session, uses_tls, warm_tls

    try:
        initial = get_profile(config, profile)
    except ConfigError as exc:
        from crmtui.ui.app import make_app
        from crmtui.ui.screens.problem import ProblemInfo

        return make_app(prefs=prefs, problem=ProblemInfo.from_error(exc, config.path))
    channels: Mapping[str, object] = transports or {}  # the demo's are built on first use
    if initial.name not in channels and uses_tls(initial):
        warm_tls()  # over https: the CA bundle loads while the UI is imported (below)
    from crmtui.ui.app import make_app

    options.setdefault("low_bandwidth", initial.low_bandwidth)

    async def opener(name: str) -> Session:
        chosen = get_profile(config, name)
        transport = channels.get(name)
        return await open_session(chosen, transport=transport)  # type: ignore[arg-type]

    return make_app(
        opener=opener,
        profiles=lazy.names(config.profiles),  # listed when first shown (the demo reads metadata)
        initial=initial.name,
        prefs=prefs,
        keymap=config.keymap,
        theme=prefs.theme or config.theme,
        config_path=config.path,
        **options,
    )


def build_app(
    args: argparse.Namespace, prefs: Prefs | None = None, start: StartAt | None = None
) -> tuple[CrmApp, Callable[[], None]]:
    """The app for `args` (profile, config, demo, reset, low_bandwidth), and its cleanup.

    `start` opens straight on one record (`crmtui edit` / `crmtui open`).
    """
    from crmtui.profiles.loader import load_config
    from crmtui.profiles.locations import config_path
    from crmtui.ui.prefs import load_prefs

    prefs = prefs if prefs is not None else load_prefs()
    flag = bool(getattr(args, "low_bandwidth", False))
    options: dict[str, Any] = {"start": start} if start is not None else {}
    if flag:
        options["low_bandwidth"] = True
    if getattr(args, "demo", False):
        from crmtui.services.demo import open_demo

        demo = open_demo(reset=bool(getattr(args, "reset", False)))
        terminal_environment(wants_low_bandwidth(args, demo.config))
        app = app_for_config(
            demo.config,
            getattr(args, "profile", None),
            prefs,
            demo.transports,
            entity=start.entity if start is not None else "lead",
            **options,
        )
        return app, demo.close
    explicit: Path | None = getattr(args, "config", None)
    try:
        config = load_config(explicit, lazy=True, profile=getattr(args, "profile", None))
    except ConfigError as exc:
        terminal_environment(flag)
        from crmtui.ui.app import make_app
        from crmtui.ui.screens.problem import ProblemInfo

        problem = ProblemInfo.from_error(exc, config_path(explicit))
        return make_app(prefs=prefs, problem=problem, theme=prefs.theme), lambda: None
    terminal_environment(wants_low_bandwidth(args, config))
    if start is not None:
        options["entity"] = start.entity
    return app_for_config(config, getattr(args, "profile", None), prefs, **options), lambda: None


@contextmanager
def keys_unechoed(stream: TextIO) -> Iterator[None]:
    """While crmtui starts, the terminal does not echo the keys typed (the app takes them once
    it is up); its settings are put back as they were on the way out, whatever happens.

    Without this, keys typed in the second before the app owns the terminal were printed by the
    terminal itself, and stayed in the shell's scrollback after quitting (e.g. `/kelly`).
    """
    try:
        fd = stream.fileno()
        interactive = os.isatty(fd)
    except (AttributeError, OSError, ValueError):  # a test's stand-in, a closed stream
        interactive = False
    if not interactive:
        yield
        return
    import termios

    try:
        before = termios.tcgetattr(fd)
        quiet = list(before)
        quiet[3] &= ~termios.ECHO
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
    except termios.error:
        yield
        return
    try:
        yield
    finally:
        with suppress(termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, before)


def run(args: argparse.Namespace, start: StartAt | None = None) -> int:
    """Run the TUI until the user quits; returns the exit code.

    Start-up builds a few hundred thousand objects that all stay alive (modules, classes, styles,
    widgets): the cycle collector's passes over them found nothing to free and cost a tenth to a
    fifth of the CPU to the first rows. It is paused until `GC_PAUSE_S` after the app starts
    (the app resumes it), and in any case once the app has stopped.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        with keys_unechoed(sys.stdin):
            app, cleanup = build_app(args, start=start)
            if collecting:
                app.resume_gc_in = GC_PAUSE_S
            try:
                app.run()
            finally:
                cleanup()
    finally:
        if collecting:
            gc.enable()
    crashed = app.crash_file_message
    if crashed:
        print(crashed, file=sys.stderr)  # after the terminal is restored; already redacted
    return app.return_code or 0
