"""`crmtui` with no subcommand: build the app from the command line's options and run it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from crmtui.errors import ConfigError
from crmtui.profiles.loader import get_profile, load_config
from crmtui.profiles.locations import config_path
from crmtui.profiles.model import Config
from crmtui.services.prefs import Prefs, load_prefs
from crmtui.services.session import Session, open_session
from crmtui.ui.app import CrmApp, make_app
from crmtui.ui.screens.problem import ProblemInfo


def app_for_config(
    config: Config,
    profile: str | None,
    prefs: Prefs,
    transports: dict[str, object] | None = None,
    **options: object,
) -> CrmApp:
    """An app over `config`'s profiles, opening `profile` (or the default); problems on screen."""
    try:
        initial = get_profile(config, profile).name
    except ConfigError as exc:
        return make_app(prefs=prefs, problem=ProblemInfo.from_error(exc, config.path))
    channels = dict(transports or {})

    async def opener(name: str) -> Session:
        chosen = get_profile(config, name)
        transport = channels.get(name)
        return await open_session(chosen, transport=transport)  # type: ignore[arg-type]

    return make_app(
        opener=opener,
        profiles=list(config.profiles),
        initial=initial,
        prefs=prefs,
        keymap=config.keymap,
        theme=prefs.theme or config.theme,
        config_path=config.path,
        **options,  # type: ignore[arg-type]
    )


def build_app(
    args: argparse.Namespace, prefs: Prefs | None = None
) -> tuple[CrmApp, Callable[[], None]]:
    """The app for `args` (profile, config, demo, reset) and what to call once it has ended."""
    prefs = prefs if prefs is not None else load_prefs()
    if getattr(args, "demo", False):
        from crmtui.services.demo import open_demo

        demo = open_demo(reset=bool(getattr(args, "reset", False)))
        app = app_for_config(
            demo.config, getattr(args, "profile", None), prefs, dict(demo.transports), entity="lead"
        )
        return app, demo.close
    explicit: Path | None = getattr(args, "config", None)
    try:
        config = load_config(explicit)
    except ConfigError as exc:
        problem = ProblemInfo.from_error(exc, config_path(explicit))
        return make_app(prefs=prefs, problem=problem, theme=prefs.theme), lambda: None
    return app_for_config(config, getattr(args, "profile", None), prefs), lambda: None


def run(args: argparse.Namespace) -> int:
    """Run the TUI until the user quits; returns the exit code."""
    app, cleanup = build_app(args)
    try:
        app.run()
    finally:
        cleanup()
    return app.return_code or 0
