"""Themes load from TOML (shipped and user); bad files are skipped with a warning; help keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from crmtui.profiles import locations
from crmtui.ui.screens.help import HelpScreen
from crmtui.ui.themes import load_themes, register_themes, shipped_theme_dirs

SHIPPED = {"crmtui-dark", "crmtui-light", "crmtui-high-contrast", "crmtui-ansi16"}


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_themes_load_without_warnings() -> None:
    warnings: list[str] = []
    themes = {t.name: t for t in load_themes(warnings=warnings)}
    assert warnings == []
    assert set(themes) >= SHIPPED
    assert themes["crmtui-light"].dark is False
    assert themes["crmtui-ansi16"].ansi is True
    assert themes["crmtui-ansi16"].primary.startswith("ansi_")
    assert themes["crmtui-high-contrast"].background == "#000000"
    assert shipped_theme_dirs()[0].name in {"themes", "_themes"}


def test_bad_theme_files_are_skipped_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    write(folder, "good.toml", 'name = "mine"\nprimary = "#112233"\ndark = false\n')
    write(folder, "broken.toml", 'name = "broken"\nprimary = \n')
    write(folder, "colour.toml", 'name = "colour"\nprimary = "not-a-colour"\n')
    write(folder, "typo.toml", 'name = "typo"\nprimary = "#000000"\nprimery = "#fff"\n')
    write(folder, "noname.toml", 'primary = "#000000"\n')
    write(folder, "vars.toml", 'name = "vars"\nprimary = "#000"\n[variables]\nborder = 3\n')
    warnings: list[str] = []
    names = {t.name for t in load_themes([folder], warnings=warnings)}
    assert "mine" in names and names >= SHIPPED
    assert names.isdisjoint({"broken", "colour", "typo", "vars"})
    assert len(warnings) == 5
    text = "\n".join(warnings)
    assert "broken.toml skipped: not valid TOML" in text
    assert "'not-a-colour' is not a colour" in text
    assert "unknown key(s): primery" in text
    assert "'name' must be a non-empty string" in text
    assert "'variables' must be a table of strings" in text


def test_user_themes_come_from_the_config_dir_and_override_shipped_ones() -> None:
    user = locations.config_dir() / "themes"
    write(user, "dark.toml", 'name = "crmtui-dark"\nprimary = "#ff0000"\n')
    write(user, "sea.toml", 'name = "sea"\nprimary = "#006994"\n')
    themes = {t.name: t for t in load_themes()}
    assert themes["crmtui-dark"].primary == "#ff0000"
    assert "sea" in themes


class Bare(App[None]):
    BINDINGS = [Binding("x", "noop", "Do nothing", id="test.noop")]

    def compose(self) -> ComposeResult:
        yield Static("hello")

    def action_noop(self) -> None:
        pass


async def test_register_themes_and_switch_to_each(tmp_path: Path) -> None:
    bad = write(tmp_path / "extra", "bad.toml", "name = 1\n")
    app = Bare()
    async with app.run_test(size=(40, 10)) as pilot:
        warnings = register_themes(app, [bad.parent])
        assert len(warnings) == 1 and "bad.toml" in warnings[0]
        for name in sorted(SHIPPED):
            app.theme = name
            await pilot.pause()
            assert app.current_theme.name == name


@pytest.mark.parametrize("keymap", [{}, {"test.noop": "z"}])
async def test_help_lists_every_binding_with_key_and_id(keymap: dict[str, str]) -> None:
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        app.set_keymap(keymap)
        await app.push_screen(HelpScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        rows = {row.binding_id: row for row in screen.rows if row.binding_id}
        assert rows["test.noop"].description == "Do nothing"
        assert rows["test.noop"].keys == keymap.get("test.noop", "x")
        assert any(row.description.lower() == "quit" for row in screen.rows)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
