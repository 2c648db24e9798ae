"""Regenerate screenshots/*.svg from the demo: main screen, edit form, save confirmation, themes.

Also the everyday loop at 80x24 (layout, search, compact edit form, triage) and the console.
Run from the repo root: `.venv/bin/python scripts/screenshots.py [--out screenshots]`.
The demo runs on a fresh store in a temporary folder, so the pictures are the same every time
and the user's own demo data is never touched.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from crmtui.model import FieldType  # noqa: E402
from crmtui.services.demo import open_demo  # noqa: E402
from crmtui.ui.app import CrmApp  # noqa: E402
from crmtui.ui.find import SYNC_GROUP  # noqa: E402
from crmtui.ui.launch import app_for_config  # noqa: E402
from crmtui.ui.prefs import memory_prefs  # noqa: E402
from crmtui.ui.screens.dialogs import ConfirmScreen  # noqa: E402
from crmtui.ui.screens.edit import EditScreen  # noqa: E402
from crmtui.ui.themes import load_themes  # noqa: E402

SIZE = (120, 36)
SMALL = (80, 24)
MAIN_THEME = "crmtui-dark"


async def settle(pilot: Pilot[Any], rounds: int = 4) -> None:
    """Let workers finish and their messages land (the mirror's background sync runs on: it is
    not waited for)."""
    for _ in range(rounds):
        busy = [w for w in pilot.app.workers if w.group != SYNC_GROUP and not w.is_finished]
        if busy:  # an empty list would mean every worker
            await pilot.app.workers.wait_for_complete(busy)
        await pilot.pause()


async def until(pilot: Pilot[Any], done: Callable[[], bool], seconds: float = 10.0) -> None:
    """Settle until `done()` (a key held for a list that is reloading runs when its row is in)."""
    for _ in range(int(seconds / 0.1)):
        if done():
            return
        await settle(pilot, 1)
        await pilot.pause(0.1)


def save(app: CrmApp, out: Path, name: str) -> Path:
    """Save the current screen as `out/name.svg`."""
    path = Path(app.save_screenshot(f"{name}.svg", path=str(out)))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path


async def shoot(out: Path, data_dir: Path) -> list[Path]:
    """Drive the demo through each state and save a screenshot of it."""
    demo = open_demo(data_dir=data_dir, reset=True)
    written: list[Path] = []
    try:
        app = app_for_config(
            demo.config, None, memory_prefs(), dict(demo.transports), entity="lead"
        )
        app.wanted_theme = MAIN_THEME
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            written.append(save(app, out, "main"))

            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, EditScreen))
            screen = app.screen
            if not isinstance(screen, EditScreen):
                raise RuntimeError(f"the edit form did not open (screen: {screen!r})")
            email = next(f for f in screen.form_fields() if f.spec.type is FieldType.EMAIL)
            editor = email.editor
            assert isinstance(editor, Input)
            editor.focus()
            editor.value = ""
            await pilot.press(*"ada-at-example")
            await settle(pilot, 1)
            written.append(save(app, out, "edit-validation-error"))

            editor.value = ""
            await pilot.press(*"ada@example.org")
            await pilot.press("ctrl+s")
            await settle(pilot, 1)
            if not isinstance(app.screen, ConfirmScreen):
                raise RuntimeError("the save confirmation did not open")
            written.append(save(app, out, "save-confirmation"))
            await pilot.press("n")
            await pilot.press("escape")
            await settle(pilot, 1)
            if isinstance(app.screen, ConfirmScreen):  # "discard your changes?"
                await pilot.press("y")
                await settle(pilot, 1)

            for theme in load_themes():
                app.theme = theme.name
                await settle(pilot, 1)
                written.append(save(app, out, f"theme-{theme.name.removeprefix('crmtui-')}"))
    finally:
        demo.close()
    return written


async def shoot_loop(out: Path, data_dir: Path) -> list[Path]:
    """The everyday loop at 80x24: the layout, a search, the compact form, triage, the console."""
    demo = open_demo(data_dir=data_dir, reset=True)
    written: list[Path] = []
    try:
        app = app_for_config(
            demo.config, None, memory_prefs(), dict(demo.transports), entity="lead"
        )
        app.wanted_theme = MAIN_THEME
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            written.append(save(app, out, "layout-80x24"))
            main_screen = app.main_screen
            assert main_screen is not None
            record = main_screen.records.record_at(1)
            assert record is not None
            email = next(str(v) for k, v in record.values.items() if "mail" in k.lower() and v)
            await pilot.press("slash")
            await pilot.pause(0.3)
            await pilot.press(*email, "enter")
            await settle(pilot)
            written.append(save(app, out, "search-80x24"))
            await pilot.press("escape")
            await settle(pilot)

            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, EditScreen))
            if not isinstance(app.screen, EditScreen):
                raise RuntimeError(f"the edit form did not open (screen: {app.screen!r})")
            choice = next(f for f in app.screen.form_fields() if f.spec.choices)
            choice.editor.focus()
            await settle(pilot, 1)
            written.append(save(app, out, "edit-form-80x24"))
            app.screen.dismiss(None)
            await settle(pilot)

            await pilot.press("t")
            await settle(pilot)
            await pilot.press("3")  # under confirm-writes: the question on the triage line
            await settle(pilot, 1)
            written.append(save(app, out, "triage-80x24"))
            await pilot.press("n", "escape")
            await settle(pilot)

            await pilot.press("ctrl+t", "right", "f5")  # the console: its example, sent
            await settle(pilot)
            app.clear_notifications()
            await settle(pilot, 1)
            written.append(save(app, out, "console-80x24"))

        app = app_for_config(
            demo.config, None, memory_prefs(), dict(demo.transports), entity="lead"
        )
        app.wanted_theme = MAIN_THEME
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("grave_accent")
            await settle(pilot)
            await pilot.pause(0.3)
            target = app.screen.query("#console-target").results(Input)
            for field in target:
                if not field.value:
                    field.value = "/lead?per_page=5&page=1"  # the demo default vendor's list
            await pilot.press("ctrl+g")
            await settle(pilot)
            await pilot.pause(0.5)
            written.append(save(app, out, "console-answer"))
    finally:
        demo.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="crmtui-shots-") as tmp:
        asyncio.run(shoot(args.out, Path(tmp) / "main"))
        asyncio.run(shoot_loop(args.out, Path(tmp) / "loop"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
